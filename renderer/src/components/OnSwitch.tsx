// A setting that is on or off: a checkbox labelled "on", its id the one its SettingField names.
export function OnSwitch({
  id,
  checked,
  onChange,
}: {
  id: string;
  checked: boolean;
  onChange: (on: boolean) => void;
}) {
  return (
    <label className="setting-check">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} /> on
    </label>
  );
}
