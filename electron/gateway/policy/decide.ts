// decide(): the verdict on one tools/call, a pure function of the call (with the path resolver it brings), the
// compiled policy, the counters and the time (DESIGN.md §4–5). Also the answers for other server capabilities and
// for tools/list.
import type { ServerCapability } from '../../../shared/policy.js';
import { findArgumentViolation } from './args.js';
import type { CompiledLimit, CompiledPolicy, Selection } from './compile.js';
import { defaultFor, selectRule } from './select.js';
import type { Action, CallContext, CounterCharge, CounterView, Decision } from './types.js';

export { compilePolicy } from './compile.js';
export type { CompiledPolicy } from './compile.js';

/** Separates a counter name from its scope identity; JSON names may hold it, tool and grant names never do. */
const KEY_SEPARATOR = '\u0000';

export function counterKey(limit: CompiledLimit, call: Pick<CallContext, 'grant' | 'session'>): string {
  switch (limit.scope) {
    case 'global':
      return limit.counter;
    case 'grant':
      return `${limit.counter}${KEY_SEPARATOR}grant${KEY_SEPARATOR}${call.grant}`;
    case 'session':
      return `${limit.counter}${KEY_SEPARATOR}session${KEY_SEPARATOR}${call.session}`;
  }
}

function ruleWords(selection: Selection): { rule: string; ruleKey?: string } {
  return selection.compiled
    ? { rule: selection.rule, ruleKey: selection.compiled.pattern.key }
    : { rule: selection.rule };
}

/** Monitored limits count on counters of their own: watching a limit never uses up the enforced one. */
const MONITOR_KEY_PREFIX = `monitor${KEY_SEPARATOR}`;

export function decide(
  call: CallContext,
  compiled: CompiledPolicy,
  counters: CounterView,
  now: number,
): Decision {
  const selection = selectRule(compiled, call.grant, call.server, call.tool);
  const enforced = decideBy(selection, call, counters, now, '');
  if (!selection.monitored) return enforced;
  const would = decideBy(selection.monitored, call, counters, now, MONITOR_KEY_PREFIX);
  return {
    ...enforced,
    monitored: {
      decision: would.decision,
      status: would.status,
      rule: would.rule,
      reason: would.reason,
      ...(would.retryAfterSeconds !== undefined ? { retryAfterSeconds: would.retryAfterSeconds } : {}),
      charges: would.decision === 'deny' ? [] : would.charges,
    },
  };
}

/** A limit reached, in the words of DESIGN.md §5; `whose` names who shares it (the team's shared counters). */
export function limitReached(
  limit: { counter: string; max: number; windowText?: string; windowMs: number },
  retryAfterSeconds: number,
  whose = '',
): string {
  const window = limit.windowText ?? `${limit.windowMs / 1000} s`;
  return `rate limit "${limit.counter}" reached (${limit.max} per ${window}${whose}); retry in ${retryAfterSeconds} s`;
}

/** The verdict of one selection: its action, then its argument rules, then its limits. */
function decideBy(
  selection: Selection,
  call: CallContext,
  counters: CounterView,
  now: number,
  keyPrefix: string,
): Decision {
  const rule = selection.compiled;
  const where = ruleWords(selection);
  const limits = rule?.limits ?? [];
  const charges: CounterCharge[] = limits.map((limit) => ({
    key: keyPrefix + counterKey(limit, call),
    counter: limit.counter,
    windowMs: limit.windowMs,
    max: limit.max,
    scope: limit.scope,
    windowText: limit.windowText,
  }));

  if (selection.action === 'deny') {
    const reason = rule
      ? (rule.reason ?? `denied by policy rule "${rule.pattern.key}"`)
      : 'denied by the default policy';
    return { decision: 'deny', status: 'denied', ...where, reason, charges };
  }

  if (rule && rule.args.length > 0) {
    const violation = findArgumentViolation(rule.args, call.arguments, call);
    if (violation !== undefined) {
      return { decision: 'deny', status: 'invalid_args', ...where, reason: violation, charges };
    }
  }

  // Of the limits reached, report the one that frees up last: only then would an identical call pass.
  let blocked: { limit: CompiledLimit; retryAfterSeconds: number } | undefined;
  limits.forEach((limit, index) => {
    const key = charges[index]?.key ?? limit.counter;
    const count = counters.countInWindow(key, limit.windowMs, now);
    if (count < limit.max) return;
    // The call passes once all but max - 1 of these hits have left the window.
    const freeing = counters.hitInWindow(key, limit.windowMs, now, count - limit.max) ?? now;
    const retryAfterSeconds = Math.max(1, Math.ceil((freeing + limit.windowMs - now) / 1000));
    if (blocked === undefined || retryAfterSeconds > blocked.retryAfterSeconds)
      blocked = { limit, retryAfterSeconds };
  });
  if (blocked) {
    const { limit, retryAfterSeconds } = blocked;
    return {
      decision: 'deny',
      status: 'rate_limited',
      ...where,
      reason: limitReached(limit, retryAfterSeconds),
      charges,
      retryAfterSeconds,
    };
  }

  if (selection.action === 'approve') {
    const reason = rule
      ? (rule.reason ?? `policy rule "${rule.pattern.key}" requires approval`)
      : 'the default policy requires approval';
    return { decision: 'approve', status: 'approval_required', ...where, reason, charges };
  }
  const reason = rule
    ? (rule.reason ?? `allowed by policy rule "${rule.pattern.key}"`)
    : 'allowed by the default policy';
  return { decision: 'allow', status: 'allowed', ...where, reason, charges };
}

/** The action for a tool ignoring its arguments and limits: tools/list hides the tools whose action is deny. */
export function effectiveToolAction(
  grant: string,
  server: string,
  tool: string,
  compiled: CompiledPolicy,
): Action {
  return selectRule(compiled, grant, server, tool).action;
}

/** resources, prompts, completion, sampling, elicitation: the server's own setting, then the default chain. */
export function decideCapability(
  server: string,
  capability: ServerCapability,
  grant: string,
  compiled: CompiledPolicy,
): { action: Action; rule: string } {
  const grantServer = compiled.grants.get(grant)?.servers.get(server);
  const fromGrant = grantServer?.capabilities[capability];
  if (grantServer && fromGrant !== undefined)
    return { action: fromGrant, rule: `${grantServer.path}.${capability}` };
  const block = compiled.servers.get(server);
  const fromServer = block?.capabilities[capability];
  if (block && fromServer !== undefined) return { action: fromServer, rule: `${block.path}.${capability}` };
  const fallback = defaultFor(compiled, grant, server);
  return { action: fallback.action, rule: fallback.rule };
}
