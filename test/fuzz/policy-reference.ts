// A slow, separate reading of DESIGN.md §4 over the policy as JSON.parse returns it (own `__proto__` keys included):
// which rule decides a (grant, server, tool), and whether a call's arguments break that rule's `args`. The loader's
// compiled policy must agree with it; nothing here comes from electron/gateway/policy/.

type Action = 'allow' | 'deny' | 'approve';
type Raw = Record<string, unknown>;

export interface ReferenceVerdict {
  action: Action;
  /** The deciding rule, absent when a default decided. */
  rule?: Raw;
}

const STRICTNESS: Record<Action, number> = { allow: 0, approve: 1, deny: 2 };

function own(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, key)
    ? (value as Raw)[key]
    : undefined;
}

/** `*` matches any run of characters, every other character itself. */
function globMatches(key: string, name: string): boolean {
  const parts = key.split('*');
  if (parts.length === 1) return key === name;
  const source = parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*');
  return new RegExp(`^${source}$`, 'u').test(name);
}

interface Candidate {
  section: number;
  exact: boolean;
  literals: number;
  action: Action;
  rule: Raw;
}

export function referenceVerdict(
  policy: unknown,
  grant: string,
  server: string,
  tool: string,
): ReferenceVerdict {
  const overlay = own(own(policy, 'grants'), grant);
  const grantServer = own(own(overlay, 'servers'), server);
  const serverBlock = own(own(policy, 'servers'), server);
  const candidates: Candidate[] = [];
  const collect = (section: number, tools: unknown) => {
    if (typeof tools !== 'object' || tools === null) return;
    for (const key of Object.keys(tools)) {
      if (!globMatches(key, tool)) continue;
      const rule = (tools as Raw)[key] as Raw;
      candidates.push({
        section,
        exact: !key.includes('*'),
        literals: [...key].filter((c) => c !== '*').length,
        action: (own(rule, 'action') as Action | undefined) ?? 'allow',
        rule,
      });
    }
  };
  collect(3, own(grantServer, 'tools'));
  collect(2, own(overlay, 'tools'));
  collect(1, own(serverBlock, 'tools'));
  collect(0, own(policy, 'tools'));
  const deny = candidates.find((c) => c.action === 'deny');
  if (deny) return { action: 'deny', rule: deny.rule };
  candidates.sort(
    (a, b) =>
      b.section - a.section ||
      Number(b.exact) - Number(a.exact) ||
      b.literals - a.literals ||
      STRICTNESS[b.action] - STRICTNESS[a.action],
  );
  const best = candidates[0];
  if (best) return { action: best.action, rule: best.rule };
  const fallback =
    own(grantServer, 'default') ??
    own(overlay, 'default') ??
    own(serverBlock, 'default') ??
    own(policy, 'default');
  return { action: (fallback as Action | undefined) ?? 'deny' };
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual((a as Raw)[k], (b as Raw)[k]))
  );
}

/** Whether the arguments break one of the rule's argument rules (DESIGN.md §4 "Arguments", fail closed). */
export function referenceArgsViolation(rule: Raw | undefined, args: Raw): boolean {
  const argRules = own(rule, 'args');
  if (typeof argRules !== 'object' || argRules === null) return false;
  for (const name of Object.keys(argRules)) {
    const r = (argRules as Raw)[name] as Raw;
    const present = Object.hasOwn(args, name) && args[name] !== undefined;
    if (!present) {
      if (own(r, 'deny') !== true && own(r, 'optional') !== true) return true;
      continue;
    }
    if (own(r, 'deny') === true) return true;
    const value = args[name];
    const allowed = own(r, 'enum');
    if (Array.isArray(allowed) && !allowed.some((e) => deepEqual(e, value))) return true;
    const pattern = own(r, 'pattern');
    const maxLength = own(r, 'maxLength');
    if (pattern !== undefined || maxLength !== undefined) {
      if (typeof value !== 'string') return true;
      if (typeof maxLength === 'number' && [...value].length > maxLength) return true;
      if (typeof pattern === 'string' && !fullMatch(pattern, value)) return true;
    }
    const min = own(r, 'min');
    const max = own(r, 'max');
    if (min !== undefined || max !== undefined) {
      if (typeof value !== 'number' || !Number.isFinite(value)) return true;
      if (typeof min === 'number' && value < min) return true;
      if (typeof max === 'number' && value > max) return true;
    }
  }
  return false;
}

/** A full match with JavaScript's engine; a pattern it cannot read counts as matching (the test makes no claim). */
function fullMatch(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u').test(value);
  } catch {
    return true;
  }
}

/** Whether the rule has a limit (a counter already full must then refuse the call). */
export function referenceHasLimits(rule: Raw | undefined): boolean {
  const limits = own(rule, 'limits');
  return Array.isArray(limits) && limits.length > 0;
}

const STRING_CANDIDATES = ['', 'a', 'aa', 'x', 'y', '1', '12', 'abc', 'ac', 'b'];
const NUMBER_CANDIDATES = [0, 1, -1, 2, 5, -5, 3, 10];

/** Arguments that keep every argument rule of `rule`, or undefined when none of the few candidates does. */
export function conformingArgs(rule: Raw | undefined): Raw | undefined {
  const argRules = own(rule, 'args');
  if (typeof argRules !== 'object' || argRules === null) return {};
  const args: Raw = {};
  for (const name of Object.keys(argRules)) {
    const r = (argRules as Raw)[name] as Raw;
    if (own(r, 'deny') === true) continue;
    const allowed = own(r, 'enum');
    const candidates: unknown[] = Array.isArray(allowed)
      ? allowed
      : [...STRING_CANDIDATES, ...NUMBER_CANDIDATES];
    const fits = candidates.find(
      (value) => !referenceArgsViolation({ args: { [name]: r } }, { [name]: value }),
    );
    if (fits === undefined) return undefined;
    args[name] = fits;
  }
  return args;
}

/** Arguments that each break one argument rule of `rule` (at its edges too), from arguments that keep them all. */
export function breakingArgs(rule: Raw | undefined, conforming: Raw): Raw[] {
  const argRules = own(rule, 'args');
  if (typeof argRules !== 'object' || argRules === null) return [];
  const variants: Raw[] = [];
  for (const name of Object.keys(argRules)) {
    const r = (argRules as Raw)[name] as Raw;
    const tries: unknown[] = [undefined, 1, 'not-a-number', 42, null, { zz: 1 }, '__nope__', -1e9, 1e9];
    const maxLength = own(r, 'maxLength');
    if (typeof maxLength === 'number') tries.push('a'.repeat(maxLength + 1), 'é'.repeat(maxLength + 1));
    const min = own(r, 'min');
    const max = own(r, 'max');
    if (typeof min === 'number') tries.push(min - 1, min - 0.5);
    if (typeof max === 'number') tries.push(max + 1, max + 0.5);
    for (const value of tries) {
      const args = { ...conforming };
      if (value === undefined) delete args[name];
      else args[name] = value;
      if (referenceArgsViolation(rule, args)) variants.push(args);
    }
  }
  return variants;
}

/** Arguments that still keep every argument rule: each optional or denied argument left out in turn. */
export function keepingArgs(rule: Raw | undefined, conforming: Raw): Raw[] {
  const argRules = own(rule, 'args');
  if (typeof argRules !== 'object' || argRules === null) return [];
  return Object.keys(argRules)
    .map((name) => {
      const args = { ...conforming };
      delete args[name];
      return args;
    })
    .filter((args) => !referenceArgsViolation(rule, args));
}
