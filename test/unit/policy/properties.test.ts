import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CounterStore } from '../../../electron/gateway/policy/counters.js';
import { decide } from '../../../electron/gateway/policy/decide.js';
import { compilePattern, matchesPattern } from '../../../electron/gateway/policy/glob.js';
import type { Action, Decision } from '../../../electron/gateway/policy/types.js';
import { call, compile, NO_COUNTERS } from './helpers.js';

const NOW = 1_700_000_000_000;

type Tools = Record<string, { action: Action }>;
interface TestPolicy {
  version: '1';
  default?: Action;
  tools: Tools;
  servers: { s1: { default?: Action; tools: Tools } };
  grants: { g1: { default?: Action; tools: Tools; servers: { s1: { default?: Action; tools: Tools } } } };
}

const action = fc.constantFrom<Action>('allow', 'deny', 'approve');
const key = fc
  .array(fc.constantFrom('a', 'b', '*'), { minLength: 1, maxLength: 4 })
  .map((chars) => chars.join(''));
const toolName = fc
  .array(fc.constantFrom('a', 'b'), { minLength: 1, maxLength: 5 })
  .map((chars) => chars.join(''));
const tools = fc.dictionary(key, fc.record({ action }), { maxKeys: 5 });
const maybeDefault = fc.option(action, { nil: undefined });

const policyArb: fc.Arbitrary<TestPolicy> = fc
  .record({
    base: tools,
    server: tools,
    grant: tools,
    grantServer: tools,
    defaults: fc.tuple(maybeDefault, maybeDefault, maybeDefault, maybeDefault),
  })
  .map(
    ({
      base,
      server,
      grant,
      grantServer,
      defaults: [top, serverDefault, grantDefault, grantServerDefault],
    }) => {
      const withDefault = <T extends object>(object: T, value: Action | undefined) =>
        value === undefined ? object : { ...object, default: value };
      return {
        version: '1' as const,
        ...(top === undefined ? {} : { default: top }),
        tools: base,
        servers: { s1: withDefault({ tools: server }, serverDefault) },
        grants: {
          g1: withDefault(
            { tools: grant, servers: { s1: withDefault({ tools: grantServer }, grantServerDefault) } },
            grantDefault,
          ),
        },
      };
    },
  );

const SECTIONS = ['tools', 'server', 'grant', 'grantServer'] as const;
type Section = (typeof SECTIONS)[number];

function sectionTools(policy: TestPolicy, section: Section): Tools {
  switch (section) {
    case 'tools':
      return policy.tools;
    case 'server':
      return policy.servers.s1.tools;
    case 'grant':
      return policy.grants.g1.tools;
    case 'grantServer':
      return policy.grants.g1.servers.s1.tools;
  }
}

function withRule(policy: TestPolicy, section: Section, ruleKey: string, ruleAction: Action): TestPolicy {
  const copy = structuredClone(policy);
  sectionTools(copy, section)[ruleKey] = { action: ruleAction };
  return copy;
}

const contexts = [
  { grant: 'g1', server: 's1' },
  { grant: 'g1', server: 's2' },
  { grant: 'g2', server: 's1' },
  { grant: 'g2', server: 's2' },
];

const STRICTNESS: Record<Decision['status'], number> = {
  allowed: 0,
  approval_required: 1,
  denied: 2,
  invalid_args: 2,
  rate_limited: 2,
};

/** A slow, obviously-correct reading of DESIGN.md §4 to compare decide() with. */
function referenceAction(policy: TestPolicy, grant: string, server: string, tool: string): Action {
  const rank: Record<Action, number> = { allow: 0, approve: 1, deny: 2 };
  const candidates: { section: number; exact: boolean; literals: number; action: Action }[] = [];
  const add = (section: number, rules: Tools | undefined) => {
    for (const [ruleKey, rule] of Object.entries(rules ?? {})) {
      const pattern = compilePattern(ruleKey);
      if (matchesPattern(pattern, tool))
        candidates.push({ section, exact: pattern.exact, literals: pattern.literals, action: rule.action });
    }
  };
  const overlay = grant === 'g1' ? policy.grants.g1 : undefined;
  const grantServer = server === 's1' ? overlay?.servers.s1 : undefined;
  const serverBlock = server === 's1' ? policy.servers.s1 : undefined;
  add(3, grantServer?.tools);
  add(2, overlay?.tools);
  add(1, serverBlock?.tools);
  add(0, policy.tools);
  if (candidates.some((candidate) => candidate.action === 'deny')) return 'deny';
  candidates.sort(
    (a, b) =>
      b.section - a.section ||
      Number(b.exact) - Number(a.exact) ||
      b.literals - a.literals ||
      rank[b.action] - rank[a.action],
  );
  if (candidates[0]) return candidates[0].action;
  return grantServer?.default ?? overlay?.default ?? serverBlock?.default ?? policy.default ?? 'deny';
}

describe('decide() properties', () => {
  it('agrees with a reference reading of the precedence rules', () => {
    fc.assert(
      fc.property(policyArb, toolName, fc.constantFrom(...contexts), (policy, tool, context) => {
        const decision = decide(call(tool, context), compile(policy), NO_COUNTERS, NOW);
        expect(decision.decision).toBe(referenceAction(policy, context.grant, context.server, tool));
      }),
      { numRuns: 500 },
    );
  });

  it('adding a rule for a tool that it does not match never changes a decision', () => {
    fc.assert(
      fc.property(
        policyArb,
        toolName,
        fc.constantFrom(...SECTIONS),
        key,
        action,
        fc.constantFrom(...contexts),
        (policy, tool, section, ruleKey, ruleAction, context) => {
          fc.pre(!matchesPattern(compilePattern(ruleKey), tool));
          fc.pre(!Object.hasOwn(sectionTools(policy, section), ruleKey));
          const before = decide(call(tool, context), compile(policy), NO_COUNTERS, NOW);
          const after = decide(
            call(tool, context),
            compile(withRule(policy, section, ruleKey, ruleAction)),
            NO_COUNTERS,
            NOW,
          );
          expect(after).toEqual(before);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('adding a deny never makes any decision more permissive', () => {
    fc.assert(
      fc.property(policyArb, fc.constantFrom(...SECTIONS), key, (policy, section, ruleKey) => {
        const before = compile(policy);
        const after = compile(withRule(policy, section, ruleKey, 'deny'));
        for (const context of contexts) {
          for (const tool of ['a', 'b', 'ab', 'ba', 'aab', 'bbb']) {
            const was = decide(call(tool, context), before, NO_COUNTERS, NOW);
            const is = decide(call(tool, context), after, NO_COUNTERS, NOW);
            expect(STRICTNESS[is.status]).toBeGreaterThanOrEqual(STRICTNESS[was.status]);
            if (was.status === 'denied') expect(is.status).toBe('denied');
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a limit never admits more than max calls in any window of its length', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom<unknown>('second', { seconds: 2 }, { seconds: 7 }),
        fc.array(fc.integer({ min: 0, max: 20_000 }), { minLength: 1, maxLength: 80 }),
        (max, window, offsets) => {
          const windowMs = typeof window === 'string' ? 1000 : (window as { seconds: number }).seconds * 1000;
          const compiled = compile({
            version: '1',
            tools: { t: { limits: [{ counter: 'c', window, max }] } },
          });
          const store = new CounterStore();
          const admitted: number[] = [];
          for (const now of offsets.map((offset) => NOW + offset).sort((a, b) => a - b)) {
            const decision = decide(call('t'), compiled, store, now);
            if (decision.status === 'allowed') {
              store.charge(decision.charges, now);
              admitted.push(now);
            } else {
              expect(decision.status).toBe('rate_limited');
              // Waiting as told lets an identical call through.
              const later = now + (decision.retryAfterSeconds ?? 0) * 1000;
              expect(decide(call('t'), compiled, store, later).status).toBe('allowed');
              // ...and not a second earlier: retryAfterSeconds is the shortest whole-second wait.
              expect(decide(call('t'), compiled, store, later - 1000).status).toBe('rate_limited');
            }
          }
          for (const end of admitted) {
            const inWindow = admitted.filter((time) => time > end - windowMs && time <= end);
            expect(inWindow.length).toBeLessThanOrEqual(max);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('patterns run in linear time', () => {
  it('(a+)+$ against 20,000 a and a b finishes quickly', () => {
    const compiled = compile({ version: '1', tools: { t: { args: { s: { pattern: '(a+)+$' } } } } });
    const adversarial = `${'a'.repeat(20_000)}b`;
    const started = performance.now();
    const decision = decide(call('t', { arguments: { s: adversarial } }), compiled, NO_COUNTERS, NOW);
    const elapsed = performance.now() - started;
    expect(decision.status).toBe('invalid_args');
    // A backtracking engine would not finish at all; the bound is generous on purpose.
    expect(elapsed).toBeLessThan(1000);
    expect(
      decide(call('t', { arguments: { s: 'a'.repeat(20_000) } }), compiled, NO_COUNTERS, NOW).status,
    ).toBe('allowed');
  });

  it('random adversarial nested quantifiers stay fast', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('(a*)*b', '(a|aa)+c', '(.*a){12}', '(a|a?)+z'),
        fc.integer({ min: 1000, max: 5000 }),
        (pattern, length) => {
          const compiled = compile({ version: '1', tools: { t: { args: { s: { pattern } } } } });
          const started = performance.now();
          decide(call('t', { arguments: { s: 'a'.repeat(length) } }), compiled, NO_COUNTERS, NOW);
          expect(performance.now() - started).toBeLessThan(1000);
        },
      ),
      { numRuns: 12 },
    );
  });
});
