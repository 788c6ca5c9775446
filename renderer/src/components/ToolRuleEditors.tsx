// The opened row's editors of one tool's rule: its rate limits, its argument rules (with a live test), and the
// per-client overrides, whether the rule is enforced or only watched (monitor), and the tool's definition against its pin. Rendered for one row at a time, so a list of thousands of tools stays quick.
import type { GatehouseApi, ToolInfo } from '../../../shared/api/operations';
import type { PolicyEdits } from '../hooks/usePolicyEdits';
import type { PinState } from '../lib/tool-pins';
import { ArgRuleEditor } from './ArgRuleEditor';
import { GrantOverrides } from './GrantOverrides';
import { LimitEditor } from './LimitEditor';
import { MonitorSwitch } from './MonitorSwitch';
import { PinReview } from './PinReview';

export interface ToolRuleEditorsProps {
  api: GatehouseApi;
  tool: ToolInfo;
  /** The tool's pin mark in the list (undefined when pinned): the pin is read again when it changes. */
  pin: PinState | undefined;
  /** The policy as last read (parsed); undefined while it is read or when it is not JSON. */
  policy: unknown;
  edit: PolicyEdits['edit'];
  onError: (err: unknown) => void;
}

export function ToolRuleEditors({ api, tool, pin, policy, edit, onError }: ToolRuleEditorsProps) {
  const id = `rule-editors-${tool.exposedName}`;
  return (
    <div className="rule-editors">
      <section aria-labelledby={`${id}-pin`}>
        <h3 id={`${id}-pin`}>Definition and pin</h3>
        <PinReview api={api} tool={tool} mark={pin} />
      </section>
      <section aria-labelledby={`${id}-monitor`}>
        <h3 id={`${id}-monitor`}>Enforced or watched</h3>
        <MonitorSwitch tool={tool} policy={policy} edit={edit} />
      </section>
      <section aria-labelledby={`${id}-limits`}>
        <h3 id={`${id}-limits`}>Rate limits</h3>
        <LimitEditor tool={tool} policy={policy} edit={edit} />
      </section>
      <section aria-labelledby={`${id}-args`}>
        <h3 id={`${id}-args`}>Argument rules</h3>
        <ArgRuleEditor api={api} tool={tool} policy={policy} edit={edit} />
      </section>
      <section aria-labelledby={`${id}-grants`}>
        <h3 id={`${id}-grants`}>Per-client overrides</h3>
        <GrantOverrides api={api} tool={tool} policy={policy} edit={edit} onError={onError} />
      </section>
    </div>
  );
}
