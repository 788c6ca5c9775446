// Argument rules of a policy rule (DESIGN.md §4): checked in the rule's key order, failing closed.
// Patterns run on re2js, a linear-time engine, so no argument can make a check slow. Path rules compare canonical
// paths (paths/): the folders are made canonical here, once per load; the value by the call's own resolver.
import { RE2JS } from 're2js';
import type { ArgRule } from '../../../shared/policy.js';
import { comparisonKey, isInside, readings } from '../paths/canonical.js';
import type { PathSystem } from '../paths/system.js';
import type { CallContext } from './types.js';
import { plural } from '../text/plural.js';

export interface CompiledArgRule {
  name: string;
  rule: ArgRule;
  /** The rule's `pattern`, compiled once per policy load. */
  regex?: RE2JS;
  /** The rule's `path.within` folders as comparison keys (with their symlinks resolved where they exist). */
  within?: { keys: string[]; shown: string };
}

/** Throws re2js's syntax error when the pattern is not valid RE2. */
export function compileRegex(pattern: string): RE2JS {
  return RE2JS.compile(pattern);
}

export function compileArgRules(
  args: Readonly<Record<string, ArgRule>> | undefined,
  system: PathSystem,
): CompiledArgRule[] {
  return Object.entries(args ?? {}).map(([name, rule]) => ({
    name,
    rule,
    ...(rule.pattern === undefined ? {} : { regex: compileRegex(rule.pattern) }),
    ...(rule.path === undefined ? {} : { within: compileWithin(rule.path.within, system) }),
  }));
}

function compileWithin(folders: readonly string[], system: PathSystem): { keys: string[]; shown: string } {
  const keys = folders.flatMap((folder) =>
    readings(folder, [], system).paths.map((canonical) => comparisonKey(canonical, system.platform)),
  );
  return { keys: [...new Set(keys)], shown: folders.join(' or ') };
}

type CallPaths = Pick<CallContext, 'folders' | 'resolvePath'>;

/** The first violation as `argument "<name>" <what is wrong>`, or undefined when every rule holds. */
export function findArgumentViolation(
  rules: readonly CompiledArgRule[],
  args: Readonly<Record<string, unknown>>,
  paths: CallPaths = {},
): string | undefined {
  for (const arg of rules) {
    const problem = checkArgument(arg, args, paths);
    if (problem !== undefined) return `argument "${arg.name}" ${problem}`;
  }
  return undefined;
}

function checkArgument(
  arg: CompiledArgRule,
  args: Readonly<Record<string, unknown>>,
  paths: CallPaths,
): string | undefined {
  const { rule } = arg;
  const present = Object.hasOwn(args, arg.name) && args[arg.name] !== undefined;
  if (!present) return rule.deny === true || rule.optional === true ? undefined : 'is missing';
  if (rule.deny === true) return 'is not allowed';
  const value = args[arg.name];
  if (rule.enum !== undefined && !rule.enum.some((allowed) => jsonEqual(allowed, value))) {
    return `must be one of ${rule.enum.map((allowed) => JSON.stringify(allowed)).join(', ')}`;
  }
  if (rule.pattern !== undefined || rule.maxLength !== undefined) {
    if (typeof value !== 'string') return 'must be a string';
    if (rule.maxLength !== undefined && codePointsExceed(value, rule.maxLength)) {
      return `is longer than ${plural(rule.maxLength, 'character')}`;
    }
    if (arg.regex !== undefined && !arg.regex.matches(value)) {
      return `does not match the pattern ${rule.pattern}`;
    }
  }
  if (rule.min !== undefined || rule.max !== undefined) {
    if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
    if (rule.min !== undefined && value < rule.min) return `must be at least ${rule.min}`;
    if (rule.max !== undefined && value > rule.max) return `must be at most ${rule.max}`;
  }
  if (arg.within !== undefined) return checkWithin(arg.within, value, paths);
  return undefined;
}

/** Inside only when every reading of the value is inside one of the folders: no reading may escape. */
function checkWithin(
  within: { keys: readonly string[]; shown: string },
  value: unknown,
  paths: CallPaths,
): string | undefined {
  if (typeof value !== 'string') return `is not a path inside ${within.shown} (it is not a string)`;
  if (paths.resolvePath === undefined) return `cannot be checked against ${within.shown} (no path resolver)`;
  const { keys, complete } = paths.resolvePath(value, paths.folders ?? []);
  if (!complete || keys.length === 0) {
    return `is not inside ${within.shown} (it cannot be made into a full path)`;
  }
  const outside = keys.some((key) => !within.keys.some((folder) => isInside(key, folder)));
  return outside ? `is not inside ${within.shown}` : undefined;
}

/** Whether `text` has more than `limit` code points (a surrogate pair is one character). */
function codePointsExceed(text: string, limit: number): boolean {
  if (text.length <= limit) return false;
  let count = 0;
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    if (unit >= 0xd800 && unit <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) index += 1;
    }
    count += 1;
    if (count > limit) return true;
  }
  return false;
}

/** Type-strict structural equality of JSON values: 1 ≠ "1", [1] ≠ {"0": 1}, key order ignored. */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => jsonEqual(item, b[index]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.hasOwn(right, key) && jsonEqual(left[key], right[key]));
}
