import { describe, expect, it } from 'vitest';
import { hasChanges, lineDiff, linesOf } from '../../../renderer/src/lib/line-diff';

const kinds = (before: string, after: string) =>
  lineDiff(before, after).map((d) => `${d.kind === 'same' ? ' ' : d.kind === 'added' ? '+' : '-'}${d.text}`);

describe('lineDiff', () => {
  it('keeps equal texts as they are', () => {
    const diff = lineDiff('a\nb\n', 'a\nb\n');
    expect(diff.map((d) => d.kind)).toEqual(['same', 'same']);
    expect(hasChanges(diff)).toBe(false);
  });

  it('shows a changed line as removed then added, with the lines around it kept', () => {
    expect(kinds('{\n  "action": "allow"\n}\n', '{\n  "action": "deny"\n}\n')).toEqual([
      ' {',
      '-  "action": "allow"',
      '+  "action": "deny"',
      ' }',
    ]);
  });

  it('numbers lines in the old and the new text', () => {
    const diff = lineDiff('a\nb\nc', 'a\nx\nb\nc');
    expect(diff).toEqual([
      { kind: 'same', text: 'a', oldLine: 1, newLine: 1 },
      { kind: 'added', text: 'x', newLine: 2 },
      { kind: 'same', text: 'b', oldLine: 2, newLine: 3 },
      { kind: 'same', text: 'c', oldLine: 3, newLine: 4 },
    ]);
  });

  it('finds the longest common subsequence, not just prefix and suffix', () => {
    expect(kinds('a\nb\nc\nd\ne', 'b\nx\nd\ne\nf')).toEqual(['-a', ' b', '-c', '+x', ' d', ' e', '+f']);
  });

  it('handles empty texts on either side', () => {
    expect(kinds('', 'a\nb')).toEqual(['+a', '+b']);
    expect(kinds('a\nb', '')).toEqual(['-a', '-b']);
    expect(lineDiff('', '')).toEqual([]);
  });

  it('treats CRLF like LF and a final newline as no extra line', () => {
    expect(linesOf('a\r\nb\r\n')).toEqual(['a', 'b']);
    expect(linesOf('a\n\n')).toEqual(['a', '']);
  });
});
