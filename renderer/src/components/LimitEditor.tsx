// The rate limits of a tool's own rule: each limit as a small form (max per window, scope, counter) saved or removed
// as one edit of the rule's `limits`, and a form that adds one with a counter name no rule uses yet. A counter other
// rules use can be picked from the list: the form then takes its window, max and scope, which must agree.
import { useId, useMemo, useState, type FormEvent } from 'react';
import type { ToolInfo } from '../../../shared/api/operations';
import type { EditOutcome, PolicyEdits } from '../hooks/usePolicyEdits';
import {
  SCOPES,
  SECONDS,
  WINDOWS,
  agreeWithCounter,
  formOfLimit,
  newLimitForm,
  readLimitForm,
  type LimitForm,
} from '../lib/limit-form';
import { ruleAt, toolRulePath } from '../lib/policy-edits';
import { countersOf, freshCounterName, rulePartEdit, type CounterUse } from '../lib/rule-parts';
import { RuleButtons } from './RuleButtons';
import { FormErrors } from './FormErrors';
import { LabeledField } from './LabeledField';

interface LimitFormRowProps {
  legend: string;
  initial: LimitForm;
  /** The limit as saved, whose keys the form does not show are kept. */
  saved?: unknown;
  counters: ReadonlyMap<string, CounterUse>;
  countersListId: string;
  submitWord: string;
  onSubmit: (limit: Record<string, unknown>) => Promise<EditOutcome>;
  onRemove?: () => void;
}

function LimitFormRow(props: LimitFormRowProps) {
  const { legend, initial, saved, counters, countersListId, submitWord, onSubmit, onRemove } = props;
  const id = useId();
  const [form, setForm] = useState(initial);
  const [errors, setErrors] = useState<string[]>([]);
  const set = (change: Partial<LimitForm>) => setForm((before) => ({ ...before, ...change }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const read = readLimitForm(form, saved);
    if (!read.ok) return setErrors(read.errors);
    setErrors((await onSubmit(read.limit)).errors);
  };

  return (
    <form className="rule-form" onSubmit={(event) => void submit(event)}>
      <fieldset>
        <legend>{legend}</legend>
        <div className="rule-fields">
          <LabeledField id={`${id}-max`} label="Max calls">
            <input
              id={`${id}-max`}
              type="number"
              min={1}
              className="num-field"
              value={form.max}
              onChange={(e) => set({ max: e.target.value })}
            />
          </LabeledField>
          <LabeledField id={`${id}-window`} label="Window">
            <select
              id={`${id}-window`}
              value={form.window}
              onChange={(e) => set({ window: e.target.value as LimitForm['window'] })}
            >
              {WINDOWS.map((window) => (
                <option key={window} value={window}>
                  {window}
                </option>
              ))}
              <option value={SECONDS}>N seconds</option>
            </select>
          </LabeledField>
          {form.window === SECONDS && (
            <LabeledField id={`${id}-seconds`} label="Seconds">
              <input
                id={`${id}-seconds`}
                type="number"
                min={1}
                className="num-field"
                value={form.seconds}
                onChange={(e) => set({ seconds: e.target.value })}
              />
            </LabeledField>
          )}
          <LabeledField id={`${id}-scope`} label="Counted per">
            <select
              id={`${id}-scope`}
              value={form.scope}
              onChange={(e) => set({ scope: e.target.value as LimitForm['scope'] })}
            >
              {SCOPES.map((scope) => (
                <option key={scope} value={scope}>
                  {scope}
                </option>
              ))}
            </select>
          </LabeledField>
          <LabeledField id={`${id}-counter`} label="Counter" className="wide-field">
            <input
              id={`${id}-counter`}
              list={countersListId}
              className="mono"
              value={form.counter}
              onChange={(e) => setForm(agreeWithCounter({ ...form, counter: e.target.value }, counters))}
            />
          </LabeledField>
          <RuleButtons submitWord={submitWord} onRemove={onRemove} />
        </div>
        <FormErrors errors={errors} />
      </fieldset>
    </form>
  );
}

export interface LimitEditorProps {
  tool: ToolInfo;
  policy: unknown;
  edit: PolicyEdits['edit'];
}

export function LimitEditor({ tool, policy, edit }: LimitEditorProps) {
  const countersListId = useId();
  const counters = useMemo(() => countersOf(policy), [policy]);
  const saved = ruleAt(policy, toolRulePath(tool.server, tool.tool))?.limits;
  const limits: unknown[] = Array.isArray(saved) ? saved : [];
  const fresh = freshCounterName(counters, tool.server, tool.tool);
  const save = (label: string, next: unknown[]) =>
    edit(`${tool.server}/${tool.tool}: ${label}`, (read) =>
      rulePartEdit(read, tool.server, tool.tool, tool.action, ['limits'], next.length > 0 ? next : null),
    );
  const replaced = (index: number, limit: unknown) => limits.map((l, i) => (i === index ? limit : l));

  return (
    <>
      <datalist id={countersListId}>
        {[...counters.keys()].map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      {limits.length === 0 && <p className="muted">No rate limit.</p>}
      {limits.map((limit, index) => (
        <LimitFormRow
          key={`${index} ${JSON.stringify(limit)}`}
          legend={`Limit ${index + 1}`}
          initial={formOfLimit(limit)}
          saved={limit}
          counters={counters}
          countersListId={countersListId}
          submitWord="Save"
          onSubmit={(next) => save(`limit ${index + 1} saved`, replaced(index, next))}
          onRemove={() => void save(`limit ${index + 1} removed`, limits.toSpliced(index, 1))}
        />
      ))}
      <LimitFormRow
        key={`new ${limits.length} ${fresh}`}
        legend="New limit"
        initial={newLimitForm(fresh)}
        counters={counters}
        countersListId={countersListId}
        submitWord="Add limit"
        onSubmit={(limit) => save('limit added', [...limits, limit])}
      />
    </>
  );
}
