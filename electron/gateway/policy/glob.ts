// Tool-name patterns of policy.json: `*` is the only wildcard (any run of characters, including none);
// every other character matches itself, byte for byte, case-sensitive.

export interface ToolPattern {
  key: string;
  /** True when the key has no `*`: it names exactly one tool. */
  exact: boolean;
  /** Characters other than `*`, counted in code points: more literal characters = more specific. */
  literals: number;
  /** The key split on `*`: a glob's fixed pieces, in order. */
  parts: readonly string[];
  /** Sum of the pieces' lengths in UTF-16 units: no shorter name can match. */
  minLength: number;
}

export function compilePattern(key: string): ToolPattern {
  const parts = key.split('*');
  let literals = 0;
  for (const char of key) if (char !== '*') literals += 1;
  return { key, exact: parts.length === 1, literals, parts, minLength: key.length - (parts.length - 1) };
}

export function matchesPattern(pattern: ToolPattern, name: string): boolean {
  const { parts } = pattern;
  if (pattern.exact) return name === pattern.key;
  if (name.length < pattern.minLength) return false;
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  if (!name.startsWith(first) || !name.endsWith(last)) return false;
  // The middle pieces, leftmost first: with `*` as the only wildcard the leftmost placement never loses a match.
  let position = first.length;
  const end = name.length - last.length;
  for (let index = 1; index < parts.length - 1; index += 1) {
    const piece = parts[index] ?? '';
    if (piece === '') continue;
    const found = name.indexOf(piece, position);
    if (found < 0 || found + piece.length > end) return false;
    position = found + piece.length;
  }
  return true;
}

/**
 * Whether every name `inner` matches is also matched by `outer` (L(inner) ⊆ L(outer)).
 * For `*`-only globs this holds exactly when `outer` matches `inner`'s own text with each `*` of `inner`
 * read as a fresh symbol that only a `*` of `outer` can absorb.
 */
export function patternContains(outer: string, inner: string): boolean {
  const STAR = -1;
  const text: number[] = [];
  for (const char of inner) text.push(char === '*' ? STAR : (char.codePointAt(0) ?? 0));
  const glob: number[] = [];
  for (const char of outer) glob.push(char === '*' ? STAR : (char.codePointAt(0) ?? 0));
  // reachable[j]: the glob prefix read so far can produce the first j symbols of the text.
  let reachable: boolean[] = new Array<boolean>(text.length + 1).fill(false);
  reachable[0] = true;
  for (const symbol of glob) {
    const next: boolean[] = new Array<boolean>(text.length + 1).fill(false);
    if (symbol === STAR) {
      let seen = false;
      for (let j = 0; j <= text.length; j += 1) {
        seen = seen || reachable[j] === true;
        next[j] = seen;
      }
    } else {
      for (let j = 0; j < text.length; j += 1) {
        if (reachable[j] === true && text[j] === symbol) next[j + 1] = true;
      }
    }
    reachable = next;
  }
  return reachable[text.length] === true;
}
