// The JSON of the history's lines, byte for byte what the gateway's writer stores for them (JSON.stringify of the
// record in its key order — test/unit/bench/history.test.ts writes the same records through the real CallLog and
// compares the files). Built from pieces fixed once per tool and client: three times faster than stringifying objects.
import type { ToolSpec } from './tool-spec.js';

const json = JSON.stringify;

/** The policy's version as records name it (the gateway's is a short hash of the policy's text). */
const POLICY_VERSION = '5d41402abc4b';

function verdict(decision: string, rule: string, reason: string, status: string): string {
  return `,"decision":"${decision}","rule":${json(rule)},"reason":${json(reason)},"policyVersion":"${POLICY_VERSION}","status":"${status}"`;
}

/** The fixed pieces of one tool's decision lines. */
export class ToolLines {
  /** server, tool, exposedName. */
  readonly names: string;
  /** The decision, rule, reason, version, status (and monitor note) up to the charges, by the decision's kind. */
  readonly pending: string;
  readonly refused: string;
  private readonly charged = new Map<string, string>();

  constructor(readonly spec: ToolSpec) {
    this.names = `,"server":${json(spec.server)},"tool":${json(spec.tool)},"exposedName":${json(`${spec.server}__${spec.tool}`)}`;
    const monitored = spec.monitored
      ? `,"monitor":true,"monitored":${json({ decision: 'deny', status: 'denied', rule: spec.monitored.rule, reason: spec.monitored.reason })}`
      : '';
    this.pending = verdict(spec.decision, spec.rule, spec.reason, 'pending') + monitored;
    this.refused = verdict(
      'deny',
      spec.rule,
      spec.reason,
      spec.decision === 'deny' ? 'denied' : 'invalid_args',
    );
  }

  /** The pending verdict with the charges of the tool's limit for `grant` (an allowed call is charged at once). */
  pendingFor(grant: string): string {
    const limit = this.spec.limit;
    if (!limit || this.spec.decision !== 'allow') return this.pending;
    let text = this.charged.get(grant);
    if (text === undefined) {
      const key = limit.scope === 'global' ? limit.counter : `${limit.counter}\u0000grant\u0000${grant}`;
      text = `${this.pending},"charges":${json([{ key, windowMs: limit.windowMs }])}`;
      this.charged.set(grant, text);
    }
    return text;
  }
}

/** A decision refused by a grant overlay or a limit: its verdict piece. */
export const refusal = (rule: string, reason: string, status: 'denied' | 'rate_limited') =>
  verdict('deny', rule, reason, status);

export interface DecisionLine {
  id: string;
  ts: string;
  grant: string;
  session: string;
  argsJson: string;
  argsHash: string;
}

export function decisionJson(call: DecisionLine, tool: ToolLines, verdictPiece: string): string {
  return (
    `{"id":"${call.id}","ts":"${call.ts}","grant":${json(call.grant)},"session":"${call.session}"${tool.names},` +
    `"arguments":${call.argsJson},"argsHash":"${call.argsHash}"${verdictPiece}}`
  );
}

/** The outcome of a forwarded call: ok with a preview of its result, or the error its tool reported. */
export function outcomeJson(
  id: string,
  ts: string,
  durationMs: number,
  error: string | undefined,
  preview: string,
): string {
  return error === undefined
    ? `{"id":"${id}","ts":"${ts}","status":"ok","durationMs":${durationMs},"resultPreview":${json(preview)}}`
    : `{"id":"${id}","ts":"${ts}","status":"error","durationMs":${durationMs},"error":${json(error)},"resultPreview":${json(error)}}`;
}
