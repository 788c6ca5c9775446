// The details of one call: full arguments, the rule that decided, the reason, the policy version and any error, and
// what a watched rule (monitor) would have done, and the rule actions that turn the call into a rule of policy.json.
import type { GatehouseApi } from '../../../shared/api/operations';
import type { CallRecord } from '../../../shared/call-record';
import { formatLatency } from '../lib/format';
import { ArgumentsView } from './ArgumentsView';
import { CallRuleActions } from './CallRuleActions';
import { EscapedText } from './EscapedText';
import { StatusBadge } from './StatusBadge';

export interface CallDetailsProps {
  api: GatehouseApi;
  call: CallRecord;
  onClose: () => void;
}

export function CallDetails({ api, call, onClose }: CallDetailsProps) {
  const rows: [string, string | undefined][] = [
    ['Time', new Date(call.ts).toLocaleString()],
    ['Client (grant)', call.grant],
    ['Server', call.server],
    ['Tool', call.tool],
    ['Exposed as', call.exposedName],
    ['Decision', call.decision],
    ['Rule', call.rule],
    ['Reason', call.reason],
    ...(call.monitored
      ? ([
          ['Watched rule (not enforced)', call.monitored.rule],
          ['It would have decided', `${call.monitored.decision}: ${call.monitored.reason}`],
        ] as [string, string][])
      : []),
    ['Policy version', call.policyVersion],
    [
      'Latency',
      call.durationMs !== undefined
        ? formatLatency(call.durationMs)
        : call.status === 'pending'
          ? 'not finished'
          : 'none: refused before it was forwarded',
    ],
    ['Session', call.session],
    ['Call id', call.id],
  ];
  return (
    <aside className="details" aria-labelledby="call-details-title">
      <header className="details-head">
        <h2 id="call-details-title">
          {call.server} / {call.tool} <StatusBadge call={call} />
        </h2>
        <button type="button" className="secondary" onClick={onClose} aria-label="Close call details">
          Close
        </button>
      </header>
      {call.error && (
        <div className="call-error" role="note">
          <strong>Error: </strong>
          <EscapedText text={call.error} />
        </div>
      )}
      {call.resultPreview !== undefined && (
        <div className="call-result" role="note" aria-label="Result preview">
          <strong>Result: </strong>
          <EscapedText text={call.resultPreview} />
        </div>
      )}
      {/* One panel per client and tool: the next call of the same tool keeps what was written and its Undo. */}
      <CallRuleActions key={`${call.grant}\n${call.server}\n${call.tool}`} api={api} call={call} />
      <dl className="facts">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd className={label === 'Reason' || label === 'It would have decided' ? '' : 'mono'}>
              <EscapedText text={value ?? ''} />
            </dd>
          </div>
        ))}
      </dl>
      <h3 id="call-details-args">Arguments</h3>
      <ArgumentsView args={call.arguments} labelledBy="call-details-args" />
    </aside>
  );
}
