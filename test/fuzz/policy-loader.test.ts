// Fuzzing the policy loader (issue 15): generated and mutated policy.json texts go through parsePolicyText and
// checkPolicyText. They never throw and never hang, answer errors with JSON paths, accept every valid policy, and a
// policy they accept decides as a separate reading of DESIGN.md §4 over the same text does (policy-reference.ts).
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { checkPolicyText } from '../../electron/gateway/policy/check.js';
import { decide, effectiveToolAction } from '../../electron/gateway/policy/decide.js';
import { parsePolicyText, type ParsePolicyResult } from '../../electron/gateway/policy/load.js';
import type { CounterView, Decision } from '../../electron/gateway/policy/types.js';
import { mutateText, mutateTree, serialize, textMutation, treeMutation } from './policy-mutations.js';
import { ARG_NAMES, GRANT_GRID, SERVER_GRID, TOOL_GRID, validPolicy, type Json } from './policy-texts.js';
import {
  breakingArgs,
  conformingArgs,
  keepingArgs,
  referenceArgsViolation,
  referenceHasLimits,
  referenceVerdict,
} from './policy-reference.js';

/** Runs per property; FUZZ_RUNS scales them (e.g. FUZZ_RUNS=5000 for a long local hunt). */
const RUNS = Number(process.env.FUZZ_RUNS ?? 600);
/** The longest one text may take to parse and check; far above the few milliseconds it needs. */
const HANG_MS = 2000;
const NOW = 1_700_000_000_000;

const inputs: Record<string, number> = {};
const count = (property: string) => (inputs[property] = (inputs[property] ?? 0) + 1);
afterAll(() => {
  const total = Object.values(inputs).reduce((a, b) => a + b, 0);
  console.log(`policy loader fuzz: ${total} inputs (${JSON.stringify(inputs)})`);
});

/** Parses and checks a text, failing the property on a throw, a slow answer or an error without a path. */
function load(text: string): ParsePolicyResult {
  const started = performance.now();
  let parsed: ParsePolicyResult;
  try {
    parsed = parsePolicyText(text);
    const checked = checkPolicyText(text);
    expect(checked.ok).toBe(parsed.ok);
  } catch (err) {
    throw new Error(`the loader threw on ${JSON.stringify(text.slice(0, 300))}: ${(err as Error).stack}`, {
      cause: err,
    });
  }
  const ms = performance.now() - started;
  if (ms > HANG_MS)
    throw new Error(`the loader took ${Math.round(ms)} ms on a ${text.length}-character text`);
  if (parsed.ok) {
    expect(parsed.compiled.rules).toBeDefined();
  } else {
    expect(parsed.errors.length).toBeGreaterThan(0);
    for (const error of parsed.errors) {
      expect(typeof error.path).toBe('string');
      expect(error.message.length).toBeGreaterThan(0);
    }
  }
  return parsed;
}

const callArgs = fc.dictionary(
  fc.constantFrom(...ARG_NAMES),
  fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.integer({ min: -10, max: 12 }),
    fc.constantFrom<Json>(null, true, 'a', 'aa', 1, [], {}, 1.5, 'x', '123', 'abc'),
  ),
  { maxKeys: 3 },
);

/** Counters that are empty, or already full for every key. */
function counters(full: boolean): CounterView {
  return {
    countInWindow: () => (full ? 1_000_000 : 0),
    hitInWindow: (_key, _windowMs, now) => (full ? now - 1 : undefined),
  };
}

const STRICTNESS: Record<Decision['decision'], number> = { allow: 0, approve: 1, deny: 2 };

/**
 * For every (grant, server, tool) of the grid: the rule the loader selects has the reference's action, and the full
 * decision is never more permissive than the reference allows (deny stays deny, approve never becomes allow, broken
 * arguments and a full counter refuse the call).
 */
function expectAgreement(
  raw: unknown,
  parsed: ParsePolicyResult & { ok: true },
  args: Record<string, Json>,
  full: boolean,
) {
  for (const grant of GRANT_GRID) {
    for (const server of SERVER_GRID) {
      for (const tool of TOOL_GRID) {
        const where = `grant ${grant}, server ${server}, tool ${tool}`;
        const reference = referenceVerdict(raw, grant, server, tool);
        expect(effectiveToolAction(grant, server, tool, parsed.compiled), where).toBe(reference.action);
        const decision = decide(
          { server, tool, grant, session: 'fuzz', arguments: args },
          parsed.compiled,
          counters(full),
          NOW,
        );
        expect(STRICTNESS[decision.decision], where).toBeGreaterThanOrEqual(STRICTNESS[reference.action]);
        if (reference.action === 'deny') expect(decision.status, where).toBe('denied');
        if (referenceArgsViolation(reference.rule, args)) expect(decision.decision, where).toBe('deny');
        if (full && referenceHasLimits(reference.rule)) expect(decision.decision, where).toBe('deny');
        expectArgumentRules(parsed, { server, tool, grant }, reference, where);
      }
    }
  }
}

/**
 * The deciding rule's argument rules, one at a time: arguments that keep them all (with or without each optional
 * one) get the rule's own action, so an argument rule refuses no more than it says; breaking any one is refused.
 */
function expectArgumentRules(
  parsed: ParsePolicyResult & { ok: true },
  at: { server: string; tool: string; grant: string },
  reference: ReturnType<typeof referenceVerdict>,
  where: string,
) {
  if (reference.action === 'deny') return;
  const conforming = conformingArgs(reference.rule);
  if (conforming === undefined) return;
  const decideWith = (args: Record<string, unknown>) =>
    decide({ ...at, session: 'fuzz', arguments: args }, parsed.compiled, counters(false), NOW).decision;
  for (const args of [conforming, ...keepingArgs(reference.rule, conforming)])
    expect(decideWith(args), `${where}, arguments ${JSON.stringify(args)}`).toBe(reference.action);
  for (const args of breakingArgs(reference.rule, conforming))
    expect(decideWith(args), `${where}, arguments ${JSON.stringify(args)}`).toBe('deny');
}

describe('the policy loader under generated and mutated texts', () => {
  it('accepts every valid policy and decides as the reference does', () => {
    fc.assert(
      fc.property(validPolicy, fc.nat(2), callArgs, fc.boolean(), (policy, style, args, full) => {
        count('valid');
        const text = serialize(policy, style);
        const parsed = load(text);
        if (!parsed.ok)
          throw new Error(`a valid policy was refused: ${JSON.stringify(parsed.errors)}\n${text}`);
        expectAgreement(JSON.parse(text), parsed, args, full);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it('never throws or hangs on mutated trees; what it accepts decides as the reference does', () => {
    fc.assert(
      fc.property(
        validPolicy,
        fc.array(treeMutation(true), { minLength: 1, maxLength: 4 }),
        fc.nat(2),
        callArgs,
        fc.boolean(),
        (policy, mutations, style, args, full) => {
          count('tree mutations');
          const text = serialize(mutateTree(policy, mutations), style);
          const parsed = load(text);
          if (parsed.ok) expectAgreement(JSON.parse(text), parsed, args, full);
        },
      ),
      { numRuns: RUNS },
    );
  }, 120_000);

  it('never throws or hangs on mutated texts (BOM, comments, commas, truncation, non-JSON)', () => {
    fc.assert(
      fc.property(
        validPolicy,
        fc.array(textMutation, { minLength: 1, maxLength: 3 }),
        fc.nat(2),
        callArgs,
        (policy, mutations, style, args) => {
          count('text mutations');
          const text = mutations.reduce(mutateText, serialize(policy, style));
          const parsed = load(text);
          if (!parsed.ok) return;
          // Accepted: plain JSON after an optional byte order mark, and deciding as the reference does.
          const raw = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
          expectAgreement(raw, parsed, args, false);
        },
      ),
      { numRuns: RUNS },
    );
  }, 120_000);

  it('refuses a known key with a wrong type and any unknown key, naming its path', () => {
    const misplaced = fc.record({
      key: fc.constantFrom('unknown', 'Default', 'tool', 'limit', 'constructor', 'toString', 'prototype'),
      where: fc.constantFrom('top', 'rule', 'server', 'grant', 'limit', 'arg'),
    });
    fc.assert(
      fc.property(misplaced, ({ key, where }) => {
        count('unknown keys');
        const rule: Record<string, unknown> = {
          action: 'allow',
          limits: [{ counter: 'c', window: 'minute', max: 1 }],
          args: { p: { optional: true } },
        };
        const policy: Record<string, unknown> = {
          version: '1',
          tools: { t: rule },
          servers: { s1: { default: 'deny' } },
          grants: { g1: { default: 'allow' } },
        };
        const target = {
          top: policy,
          rule,
          server: (policy.servers as Record<string, object>).s1,
          grant: (policy.grants as Record<string, object>).g1,
          limit: (rule.limits as object[])[0],
          arg: (rule.args as Record<string, object>).p,
        }[where] as Record<string, unknown>;
        Object.defineProperty(target, key, { value: 'allow', enumerable: true });
        const parsed = load(JSON.stringify(policy));
        expect(parsed.ok).toBe(false);
        if (!parsed.ok)
          expect(parsed.errors.some((e) => e.path.endsWith(key) || e.path.includes(key))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});

/* Bugs the fuzzing found (issue 15), fixed: kept as tests so they stay fixed. */
describe('loader bugs the fuzzing found, fixed', () => {
  it('bug 1: a rule keyed "__proto__" applies: a deny of a tool named __proto__ denies it', () => {
    const text = '{"version":"1","default":"allow","tools":{"__proto__":{"action":"deny"}}}';
    const parsed = parsePolicyText(text);
    // Either refuse the key or keep the rule: never accept it and then allow the tool.
    if (!parsed.ok) return;
    const decision = decide(
      { server: 's1', tool: '__proto__', grant: 'g1', session: 'x', arguments: {} },
      parsed.compiled,
      counters(false),
      NOW,
    );
    expect(decision.decision).toBe('deny');
  });

  it('bug 1b: an argument rule named "__proto__" applies: {"deny": true} refuses the argument', () => {
    const text = '{"version":"1","tools":{"t":{"args":{"__proto__":{"deny":true,"optional":true}}}}}';
    const parsed = parsePolicyText(text);
    if (!parsed.ok) return;
    const decision = decide(
      {
        server: 's1',
        tool: 't',
        grant: 'g1',
        session: 'x',
        arguments: JSON.parse('{"__proto__":"x"}') as Record<string, unknown>,
      },
      parsed.compiled,
      counters(false),
      NOW,
    );
    expect(decision.decision).toBe('deny');
  });

  it('bug 1c: an unknown key "__proto__" is an error like every other unknown key', () => {
    expect(parsePolicyText('{"version":"1","__proto__":{"default":"allow"}}').ok).toBe(false);
  });

  it('bug 2: deeply nested JSON is refused with an error, never a RangeError', () => {
    const depth = 100_000;
    const text = `{"version":"1","x-deep":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    expect(() => parsePolicyText(text)).not.toThrow();
  });
});
