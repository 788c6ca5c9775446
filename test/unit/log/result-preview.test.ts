import { describe, expect, it } from 'vitest';
import { formatBytes, resultPreview } from '../../../electron/gateway/log/result-preview.js';

const GHP = `ghp_${'Qw3'.repeat(12)}`;

describe('resultPreview', () => {
  it('joins text blocks and summarizes the others', () => {
    const png = Buffer.alloc(1200).toString('base64');
    const preview = resultPreview({
      content: [
        { type: 'text', text: 'first' },
        { type: 'image', data: png, mimeType: 'image/png' },
        { type: 'audio', data: 'AAAA', mimeType: 'audio/wav' },
        {
          type: 'resource',
          resource: { uri: 'file:///a.txt', mimeType: 'text/plain', text: 'x'.repeat(120) },
        },
        { type: 'resource_link', uri: 'file:///b.bin', name: 'b' },
        { type: 'something_new' },
        { type: 'text', text: 'last' },
      ],
    });
    expect(preview).toBe(
      [
        'first',
        '[image image/png 1.2 kB]',
        '[audio audio/wav 3 B]',
        '[resource file:///a.txt text/plain 120 B]',
        '[resource link file:///b.bin]',
        '[something_new]',
        'last',
      ].join('\n'),
    );
  });

  it('falls back to the structured content, then to the JSON of the result, redacted', () => {
    expect(resultPreview({ content: [], structuredContent: { sum: 3, password: 'pw' } })).toMatch(
      /^\{"sum":3,"password":"\[redacted sha256:[0-9a-f]{12}\]"\}$/,
    );
    expect(resultPreview('plain')).toBe('plain');
    expect(resultPreview(undefined)).toBe('undefined');
    expect(resultPreview({ content: [] })).toBe('');
  });

  it('redacts before it truncates, and never leaves the head of a token at the cut', () => {
    const text = `${'a'.repeat(400)} ${GHP} ${'b'.repeat(200)}`;
    const preview = resultPreview({ content: [{ type: 'text', text }] });
    expect(Array.from(preview)).toHaveLength(500);
    expect(preview.endsWith('…')).toBe(true);
    expect(preview).not.toContain('ghp_Qw3');
    expect(preview).toContain(' [redacted sha256:');

    // A token straddling the edge of the redaction window is dropped, not half-kept.
    const long = `${'word '.repeat(1000)}${GHP}${'x'.repeat(5000)}`;
    expect(resultPreview(long, 10_000)).not.toContain('ghp_');
  });

  it('keeps the preview within maxChars, counting code points', () => {
    expect(resultPreview('😀'.repeat(20), 10)).toBe(`${'😀'.repeat(9)}…`);
    expect(resultPreview('short', 10)).toBe('short');
  });

  it('formats sizes', () => {
    expect([formatBytes(0), formatBytes(999), formatBytes(1234), formatBytes(2_500_000)]).toEqual([
      '0 B',
      '999 B',
      '1.2 kB',
      '2.5 MB',
    ]);
  });
});
