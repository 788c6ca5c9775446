// Reading policy.json: JSON syntax errors with line and column, schema errors with the JSON path, the line of
// the offending node and a message a user can act on; then the compiled policy the engine runs on.
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { core } from 'zod';
import { formatPolicyPath, PolicySchema, type Policy } from '../../../shared/policy.js';
import { compileRegex } from './args.js';
import { compilePolicy, type CompiledPolicy } from './compile.js';
import { escapeProtoKeys, hasNulKey, plainPath, restoreProtoKeys, tooDeepAt } from './plain-keys.js';
import { plural } from '../text/plural.js';

/** How deep a policy may nest: a real one is about eight levels deep. */
const MAX_DEPTH = 64;

export interface PolicyError {
  /** JSON path as users read it, e.g. `tools.run_procedure.limits[0].window`; empty for the file as a whole. */
  path: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  /** What is wrong, to be read after the path: `must be one of allow, deny, approve`. */
  message: string;
  hint?: string;
}

export type ParsePolicyResult =
  { ok: true; policy: Policy; compiled: CompiledPolicy } | { ok: false; errors: PolicyError[] };

type JsonPath = (string | number)[];

/** Line and column (1-based) of offsets in a text. */
export class TextPositions {
  private readonly lineStarts: number[] = [0];

  constructor(text: string) {
    for (let index = 0; index < text.length; index += 1) {
      if (text.charCodeAt(index) === 10) this.lineStarts.push(index + 1);
    }
  }

  at(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if ((this.lineStarts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - (this.lineStarts[low] ?? 0) + 1 };
  }
}

const SYNTAX_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a key in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":"',
  CommaExpected: 'expected "," between entries',
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: 'unexpected text after the end of the JSON value',
  InvalidCommentToken: 'comments are not allowed',
  UnexpectedEndOfComment: 'comments are not allowed',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character in a string',
  InvalidCharacter: 'invalid character in a string (control characters must be escaped)',
};

function syntaxError(text: string, error: ParseError, positions: TextPositions): PolicyError {
  const code = printParseErrorCode(error.error);
  let message = SYNTAX_MESSAGES[code] ?? code;
  let hint: string | undefined = 'policy.json is plain JSON';
  // jsonc-parser reports a trailing comma as a missing key or value: say what the user wrote instead.
  let before = error.offset - 1;
  while (before >= 0 && /\s/.test(text[before] ?? '')) before -= 1;
  if ((code === 'PropertyNameExpected' || code === 'ValueExpected') && text[before] === ',') {
    message = 'trailing comma';
    hint = 'JSON allows no comma after the last entry of an object or array';
  } else if (code === 'InvalidCommentToken' || code === 'UnexpectedEndOfComment') {
    hint = 'policy.json is plain JSON: keep notes in keys starting with "x-"';
  } else if (code === 'ValueExpected' && text.trim() === '') {
    message = 'the file is empty';
    hint = 'the smallest policy is {"version": "1", "default": "deny"}';
  }
  const position = positions.at(Math.min(error.offset, text.length));
  return { path: '', ...position, message: `invalid JSON: ${message}`, ...(hint ? { hint } : {}) };
}

/** Keys that appear twice in one object: JSON.parse would silently keep the last one. */
function duplicateKeys(root: Node, positions: TextPositions): PolicyError[] {
  const errors: PolicyError[] = [];
  const visit = (node: Node, path: JsonPath) => {
    if (node.type === 'object') {
      const seen = new Set<string>();
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (keyNode?.type !== 'string' || typeof keyNode.value !== 'string') continue;
        const key = keyNode.value;
        if (seen.has(key)) {
          errors.push({
            path: formatPolicyPath([...path, key]),
            ...positions.at(keyNode.offset),
            message: 'appears twice in the same object',
            hint: 'JSON keeps only one of them; merge the two entries',
          });
        }
        seen.add(key);
        if (valueNode) visit(valueNode, [...path, key]);
      }
    } else if (node.type === 'array') {
      (node.children ?? []).forEach((child, index) => visit(child, [...path, index]));
    }
  };
  visit(root, []);
  return errors;
}

const ACTION_HINT = 'allow runs the call, deny refuses it, approve asks a person first';
const WINDOW_MESSAGE = 'must be one of second, minute, hour, day, or {"seconds": N}';

function typeWords(expected: string): string {
  switch (expected) {
    case 'object':
    case 'record':
      return 'must be an object';
    case 'array':
      return 'must be an array';
    case 'string':
      return 'must be a string';
    case 'number':
      return 'must be a number';
    case 'int':
      return 'must be a whole number';
    case 'boolean':
      return 'must be true or false';
    default:
      return `must be ${expected}`;
  }
}

function hintFor(path: JsonPath): string | undefined {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (path.length === 1 && last === 'approvalTimeoutSeconds') {
    return 'seconds a call waits for a person to approve it: a whole number from 1 to 3600 (default 50)';
  }
  if (path.length === 1 && last === 'version') return 'write "version": "1"';
  if (last === 'window') return 'e.g. "window": "minute" or "window": {"seconds": 30}';
  if (parent === 'window' && last === 'seconds') return 'the window length in whole seconds, at least 1';
  if (typeof parent === 'number' && last === 'max') return 'the most calls allowed in one window, at least 1';
  if (typeof parent === 'number' && last === 'scope')
    return 'global: one counter for all; grant: per client; session: per MCP session';
  const actionKeys = ['action', 'default', 'resources', 'prompts', 'completion', 'sampling', 'elicitation'];
  if (typeof last === 'string' && actionKeys.includes(last)) return ACTION_HINT;
  return undefined;
}

function describeIssue(issue: core.$ZodIssue, input: unknown): string {
  const path = issue.path as JsonPath;
  const last = path[path.length - 1];
  if (input === undefined && issue.code !== 'custom') return 'is required';
  switch (issue.code) {
    case 'invalid_type':
      if (last === 'window') return WINDOW_MESSAGE;
      return typeWords(issue.expected);
    case 'invalid_value':
      if (issue.values.length === 1) return `must be ${JSON.stringify(issue.values[0])}`;
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'invalid_union':
      return last === 'window' ? WINDOW_MESSAGE : 'is not valid';
    case 'too_small':
      if (issue.origin === 'string') return 'must not be empty';
      return `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      if (issue.origin === 'string')
        return `must be at most ${plural(Number(issue.maximum), 'character')} long`;
      return `must be at most ${String(issue.maximum)}`;
    case 'invalid_key':
      return 'has an invalid key';
    case 'custom':
      return issue.message;
    default:
      return issue.message;
  }
}

function valueAt(value: unknown, path: JsonPath): unknown {
  let current = value;
  for (const part of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

/** The node to point at: the key itself for an unknown key, else the value, else the nearest enclosing node. */
function locate(root: Node, path: JsonPath, pointAtKey: boolean): Node | undefined {
  for (let length = path.length; length >= 0; length -= 1) {
    const node = findNodeAtLocation(root, path.slice(0, length));
    if (!node) continue;
    if (pointAtKey && length === path.length && node.parent?.type === 'property') {
      return node.parent.children?.[0] ?? node;
    }
    return node;
  }
  return root;
}

function schemaErrors(
  issues: readonly core.$ZodIssue[],
  value: unknown,
  root: Node,
  positions: TextPositions,
) {
  return issues.map((issue): PolicyError => {
    const path = issue.path as JsonPath;
    const unknownKey = issue.code === 'custom' && issue.message.startsWith('is not a known key');
    const node = locate(root, path, unknownKey);
    const input = valueAt(value, path);
    const message = describeIssue(issue, input);
    const params = issue.code === 'custom' ? (issue.params as { hint?: unknown } | undefined) : undefined;
    const hint = typeof params?.hint === 'string' ? params.hint : hintFor(path);
    return {
      path: formatPolicyPath(path),
      ...(node ? positions.at(node.offset) : {}),
      message: path.length === 0 && issue.code === 'invalid_type' ? `the policy ${message}` : message,
      ...(hint === undefined ? {} : { hint }),
    };
  });
}

/** Every `pattern` must be valid RE2 (no backreferences or lookaround). Walks the raw value, so these errors
 * are reported together with the schema's. */
function patternErrors(value: unknown, root: Node, positions: TextPositions): PolicyError[] {
  const errors: PolicyError[] = [];
  const entries = (object: unknown): [string, unknown][] =>
    typeof object === 'object' && object !== null && !Array.isArray(object) ? Object.entries(object) : [];
  const visitTools = (tools: unknown, base: JsonPath) => {
    for (const [key, rule] of entries(tools)) {
      for (const [name, arg] of entries(valueAt(rule, ['args']))) {
        const pattern = valueAt(arg, ['pattern']);
        if (typeof pattern !== 'string') continue;
        try {
          compileRegex(pattern);
        } catch (error) {
          const path = [...base, key, 'args', name, 'pattern'];
          const node = locate(root, path, false);
          errors.push({
            path: formatPolicyPath(path),
            ...(node ? positions.at(node.offset) : {}),
            message: `is not a valid RE2 pattern: ${error instanceof Error ? error.message : String(error)}`,
            hint: 'RE2 syntax has no backreferences or lookaround; the pattern must match the whole value',
          });
        }
      }
    }
  };
  const visitServers = (servers: unknown, base: JsonPath) => {
    for (const [server, block] of entries(servers))
      visitTools(valueAt(block, ['tools']), [...base, server, 'tools']);
  };
  visitTools(valueAt(value, ['tools']), ['tools']);
  visitServers(valueAt(value, ['servers']), ['servers']);
  for (const [grant, overlay] of entries(valueAt(value, ['grants']))) {
    visitTools(valueAt(overlay, ['tools']), ['grants', grant, 'tools']);
    visitServers(valueAt(overlay, ['servers']), ['grants', grant, 'servers']);
  }
  return errors;
}

function byPosition(a: PolicyError, b: PolicyError): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}

/** The parsed JSON tree of a policy text, or its first syntax error (later ones are usually echoes of it). */
export function parsePolicyJson(
  text: string,
): { ok: true; root: Node; value: unknown; positions: TextPositions } | { ok: false; errors: PolicyError[] } {
  // An editor's byte order mark is not an error a user could see.
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const positions = new TextPositions(source);
  const deep = tooDeepAt(source, MAX_DEPTH);
  if (deep !== undefined) {
    const { line, column } = positions.at(deep);
    return {
      ok: false,
      errors: [{ path: '', message: `is nested more than ${MAX_DEPTH} levels deep`, line, column }],
    };
  }
  const syntax: ParseError[] = [];
  const root = parseTree(source, syntax, { disallowComments: true, allowTrailingComma: false });
  const first = syntax[0];
  if (first || !root) {
    const error = first ?? { error: 4, offset: 0, length: 0 };
    return { ok: false, errors: [syntaxError(source, error, positions)] };
  }
  const duplicates = duplicateKeys(root, positions);
  if (duplicates.length > 0) return { ok: false, errors: duplicates };
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    return {
      ok: false,
      errors: [
        { path: '', message: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` },
      ],
    };
  }
  return { ok: true, root, value, positions };
}

/** Parses, validates and compiles a policy.json text; every problem comes back as a PolicyError. */
export function parsePolicyText(text: string, _fileName = 'policy.json'): ParsePolicyResult {
  const json = parsePolicyJson(text);
  if (!json.ok) return json;
  const { root, value, positions } = json;
  if (hasNulKey(value))
    return { ok: false, errors: [{ path: '', message: 'has a key with a NUL character in it' }] };
  const parsed = PolicySchema.safeParse(escapeProtoKeys(value));
  const issues = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ ...issue, path: plainPath(issue.path) }) as core.$ZodIssue);
  const errors = [
    ...schemaErrors(issues, value, root, positions),
    ...patternErrors(value, root, positions),
  ].sort(byPosition);
  if (!parsed.success || errors.length > 0) return { ok: false, errors };
  const policy = restoreProtoKeys(parsed.data);
  return { ok: true, policy, compiled: compilePolicy(policy) };
}

/** `policy.json line 12 column 5: tools.x.limits[0].window must be one of … (hint: …)` */
export function formatPolicyError(error: PolicyError, fileName = 'policy.json'): string {
  const where =
    error.line === undefined
      ? fileName
      : `${fileName} line ${error.line}${error.column === undefined ? '' : ` column ${error.column}`}`;
  const what = error.path === '' ? error.message : `${error.path} ${error.message}`;
  return `${where}: ${what}${error.hint === undefined ? '' : ` (hint: ${error.hint})`}`;
}
