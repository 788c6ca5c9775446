// The argument rules of a tool's own rule: each argument's rule as a small form (pattern, allowed values, length,
// range, folders, deny, optional) with a live test field, saved or removed as one edit of `args.<name>`; and a form
// that adds a rule for an argument named by the user (the API does not give the tool's input schema).
import { useId, useState, type FormEvent } from 'react';
import type { GatehouseApi, ToolInfo } from '../../../shared/api/operations';
import type { EditOutcome, PolicyEdits } from '../hooks/usePolicyEdits';
import { EMPTY_ARG_FORM, formOfArgRule, readArgForm, type ArgForm } from '../lib/arg-form';
import { ruleAt, toolRulePath } from '../lib/policy-edits';
import { rulePartEdit } from '../lib/rule-parts';
import { ArgTestField } from './ArgTestField';
import { RuleButtons } from './RuleButtons';
import { FormErrors } from './FormErrors';
import { LabeledField } from './LabeledField';

type TextKey = 'pattern' | 'enumText' | 'maxLength' | 'min' | 'max';
const TEXT_FIELDS: readonly { key: TextKey; label: string; className: string }[] = [
  { key: 'pattern', label: 'Pattern (RE2, whole value)', className: 'wide-field' },
  { key: 'enumText', label: 'Allowed values (JSON list)', className: 'wide-field' },
  { key: 'maxLength', label: 'Max length', className: 'num-label' },
  { key: 'min', label: 'Min', className: 'num-label' },
  { key: 'max', label: 'Max', className: 'num-label' },
];

interface ArgRuleFormProps {
  api: GatehouseApi;
  server: string;
  /** The argument's name; undefined for a new rule, whose form asks for it. */
  name: string | undefined;
  saved?: unknown;
  onSubmit: (name: string, rule: Record<string, unknown>) => Promise<EditOutcome>;
  onRemove?: () => void;
  /** Names to offer for a new rule: the tool's arguments that have no rule yet. */
  offered?: readonly string[];
}

function ArgRuleForm({ api, server, name, saved, onSubmit, onRemove, offered = [] }: ArgRuleFormProps) {
  const id = useId();
  const [form, setForm] = useState<ArgForm>(saved === undefined ? EMPTY_ARG_FORM : formOfArgRule(saved));
  const [newName, setNewName] = useState('');
  const [errors, setErrors] = useState<string[]>([]);
  const argName = name ?? newName.trim();
  const read = readArgForm(form, saved);
  const set = (change: Partial<ArgForm>) => setForm((before) => ({ ...before, ...change }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (argName === '') return setErrors(['Name the argument.']);
    if (!read.ok) return setErrors(read.errors);
    setErrors((await onSubmit(argName, read.rule)).errors);
  };

  return (
    <form className="rule-form" onSubmit={(event) => void submit(event)}>
      <fieldset>
        <legend>{name === undefined ? 'New argument rule' : `Argument "${name}"`}</legend>
        <div className="rule-fields">
          {name === undefined && (
            <LabeledField id={`${id}-name`} label="Argument name">
              <input
                id={`${id}-name`}
                className="mono"
                value={newName}
                onChange={(e) => setNewName(e.target.value)}
                {...(offered.length > 0 ? { list: `${id}-offered` } : {})}
              />
              {offered.length > 0 && (
                <datalist id={`${id}-offered`}>
                  {offered.map((offer) => (
                    <option key={offer} value={offer} />
                  ))}
                </datalist>
              )}
            </LabeledField>
          )}
          {TEXT_FIELDS.map(({ key, label, className }) => (
            <LabeledField key={key} id={`${id}-${key}`} label={label} className={className}>
              <input
                id={`${id}-${key}`}
                className={className === 'wide-field' ? 'mono' : 'num-field'}
                inputMode={className === 'wide-field' ? undefined : 'decimal'}
                value={form[key]}
                onChange={(e) => set({ [key]: e.target.value })}
              />
            </LabeledField>
          ))}
          <LabeledField id={`${id}-within`} label="Path within (one folder per line)" className="path-field">
            <textarea
              id={`${id}-within`}
              className="mono"
              rows={2}
              value={form.within}
              onChange={(e) => set({ within: e.target.value })}
            />
          </LabeledField>
          <div className="check-group">
            <label className="check-field">
              <input type="checkbox" checked={form.deny} onChange={(e) => set({ deny: e.target.checked })} />
              Must be absent (deny)
            </label>
            <label className="check-field">
              <input
                type="checkbox"
                checked={form.optional}
                onChange={(e) => set({ optional: e.target.checked })}
              />
              May be absent (optional)
            </label>
          </div>
        </div>
        <ArgTestField api={api} server={server} name={argName} rule={read} />
        <RuleButtons submitWord={name === undefined ? 'Add rule' : 'Save'} onRemove={onRemove} />
        <FormErrors errors={errors} />
      </fieldset>
    </form>
  );
}

export interface ArgRuleEditorProps {
  api: GatehouseApi;
  tool: ToolInfo;
  policy: unknown;
  edit: PolicyEdits['edit'];
}

export function ArgRuleEditor({ api, tool, policy, edit }: ArgRuleEditorProps) {
  const args = ruleAt(policy, [...toolRulePath(tool.server, tool.tool), 'args']) ?? {};
  const names = Object.keys(args);
  const save = (name: string, rule: Record<string, unknown> | null) =>
    edit(`${tool.server}/${tool.tool}: argument "${name}" ${rule ? 'saved' : 'removed'}`, (read) =>
      rulePartEdit(read, tool.server, tool.tool, tool.action, ['args', name], rule),
    );

  return (
    <>
      {names.length === 0 && <p className="muted">No argument rule.</p>}
      {names.map((name) => (
        <ArgRuleForm
          key={`${name} ${JSON.stringify(args[name])}`}
          api={api}
          server={tool.server}
          name={name}
          saved={args[name]}
          onSubmit={save}
          onRemove={() => void save(name, null)}
        />
      ))}
      <ArgRuleForm
        key={`new ${names.join(' ')}`}
        api={api}
        server={tool.server}
        name={undefined}
        onSubmit={save}
        offered={(tool.argumentNames ?? []).filter((offer) => !names.includes(offer))}
      />
    </>
  );
}
