// A line diff of two texts by their longest common subsequence: each line kept, removed (only in the old text) or
// added (only in the new one), in the order a reader follows them. Pure, no dependency.

export interface DiffLine {
  kind: 'same' | 'removed' | 'added';
  text: string;
  /** 1-based line in the old text (kept and removed lines). */
  oldLine?: number;
  /** 1-based line in the new text (kept and added lines). */
  newLine?: number;
}

/** The lines of a text; a final newline does not start an empty last line. */
export function linesOf(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function lineDiff(before: string, after: string): DiffLine[] {
  const a = linesOf(before);
  const b = linesOf(after);
  // The common prefix and suffix need no table: most edits touch a few lines of a long file.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const n = endA - start;
  const m = endB - start;
  // lcs[i][j]: the length of the longest common subsequence of a[start+i..endA) and b[start+j..endB).
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    const row = lcs[i] as number[];
    const below = lcs[i + 1] as number[];
    for (let j = m - 1; j >= 0; j--) {
      row[j] =
        a[start + i] === b[start + j]
          ? (below[j + 1] as number) + 1
          : Math.max(below[j] as number, row[j + 1] as number);
    }
  }
  const out: DiffLine[] = [];
  for (let k = 0; k < start; k++)
    out.push({ kind: 'same', text: a[k] as string, oldLine: k + 1, newLine: k + 1 });
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    const oa = a[start + i] as string;
    const nb = b[start + j] as string;
    if (i < n && j < m && oa === nb) {
      out.push({ kind: 'same', text: oa, oldLine: start + i + 1, newLine: start + j + 1 });
      i++;
      j++;
    } else if (i < n && (j === m || (lcs[i + 1]?.[j] ?? 0) >= (lcs[i]?.[j + 1] ?? 0))) {
      out.push({ kind: 'removed', text: oa, oldLine: start + i + 1 });
      i++;
    } else {
      out.push({ kind: 'added', text: nb, newLine: start + j + 1 });
      j++;
    }
  }
  for (let k = 0; k < a.length - endA; k++) {
    out.push({ kind: 'same', text: a[endA + k] as string, oldLine: endA + k + 1, newLine: endB + k + 1 });
  }
  return out;
}

/** Whether a diff changes anything. */
export const hasChanges = (diff: readonly DiffLine[]): boolean => diff.some((d) => d.kind !== 'same');
