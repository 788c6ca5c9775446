// The argument-rules editor's live test: a value typed here is tried against the rule as the form stands (saved or
// not) by the gateway's own argument check (api.testArgument), a moment after the last key press.
import { useEffect, useId, useState } from 'react';
import type { GatehouseApi } from '../../../shared/api/operations';
import type { ArgRule } from '../../../shared/policy';
import { testValueOf, type ArgFormResult } from '../lib/arg-form';
import { LabeledField } from './LabeledField';

const DEBOUNCE_MS = 250;

interface Verdict {
  kind: 'idle' | 'checking' | 'pass' | 'fail' | 'unusable';
  text: string;
}

export interface ArgTestFieldProps {
  api: GatehouseApi;
  server: string;
  name: string;
  rule: ArgFormResult;
}

export function ArgTestField({ api, server, name, rule }: ArgTestFieldProps) {
  const id = useId();
  const [text, setText] = useState('');
  const [asJson, setAsJson] = useState(false);
  const [verdict, setVerdict] = useState<Verdict>({ kind: 'idle', text: '' });
  const ruleJson = rule.ok ? JSON.stringify(rule.rule) : undefined;

  useEffect(() => {
    const value = testValueOf(text, asJson);
    if (text === '') return setVerdict({ kind: 'idle', text: '' });
    if (name === '') return setVerdict({ kind: 'idle', text: 'Name the argument to try a value.' });
    if (ruleJson === undefined) return setVerdict({ kind: 'idle', text: 'Correct the rule to try a value.' });
    if (!value.ok) return setVerdict({ kind: 'unusable', text: 'This is not JSON.' });
    let current = true;
    setVerdict({ kind: 'checking', text: 'Checking…' });
    const timer = setTimeout(() => {
      api.testArgument({ server, name, rule: JSON.parse(ruleJson) as ArgRule, value: value.value }).then(
        (result) => {
          if (!current) return;
          if (result.ok) setVerdict({ kind: 'pass', text: 'Passes' });
          else setVerdict({ kind: 'fail', text: `Fails: ${result.violation ?? 'refused'}` });
        },
        (err: unknown) => current && setVerdict({ kind: 'unusable', text: (err as Error).message }),
      );
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, server, name, ruleJson, text, asJson]);

  return (
    <div className="arg-test">
      <LabeledField id={id} label="Try a value" className="wide-field">
        <input id={id} value={text} className="mono" onChange={(e) => setText(e.target.value)} />
      </LabeledField>
      <label className="check-field">
        <input type="checkbox" checked={asJson} onChange={(e) => setAsJson(e.target.checked)} />
        Read as JSON
      </label>
      <p
        className={`arg-verdict is-${verdict.kind}`}
        role="status"
        aria-live="polite"
        aria-label="Test result"
      >
        {verdict.text}
      </p>
    </div>
  );
}
