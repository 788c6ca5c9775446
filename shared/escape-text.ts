// Makes invisible, direction-changing and look-alike characters visible as ⟦U+XXXX⟧ markers, so what a person
// approves is what the tool receives: nothing is dropped, folded or reordered silently (DESIGN.md §6).
export type TextSegment =
  { kind: 'text'; text: string } | { kind: 'marker'; codePoint: number; label: string; name: string };

const NAMES: Record<number, string> = {
  0x00ad: 'SOFT HYPHEN',
  0x00a0: 'NO-BREAK SPACE',
  0x034f: 'COMBINING GRAPHEME JOINER',
  0x061c: 'ARABIC LETTER MARK',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE (BOM)',
  0x000d: 'CARRIAGE RETURN',
  0x0000: 'NULL',
  0x001b: 'ESCAPE',
  0x007f: 'DELETE',
};

const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

/**
 * Characters shown as markers: format characters (Cf: bidi controls, zero-width, tags, BOM, soft hyphen), controls
 * (Cc) except newline and tab, line/paragraph separators, every space but the plain one, lone surrogates, variation
 * selectors and the blank fillers (Hangul, Khmer, Mongolian) used to hide text.
 */
const SUSPICIOUS_CLASS = /[\p{Cf}\p{Cc}\p{Zl}\p{Zp}\p{Zs}\p{Cs}]/u;

/** Blank or combining characters outside those classes (checked by code point: they would combine in a regex class). */
function isHiddenExtra(cp: number): boolean {
  return (
    cp === 0x034f ||
    cp === 0x115f ||
    cp === 0x1160 ||
    cp === 0x17b4 ||
    cp === 0x17b5 ||
    cp === 0x180e ||
    cp === 0x3164 ||
    cp === 0xffa0 ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0xe0100 && cp <= 0xe01ef)
  );
}

function isSuspicious(ch: string): boolean {
  if (ch === ' ' || ch === '\n' || ch === '\t') return false;
  return SUSPICIOUS_CLASS.test(ch) || isHiddenExtra(ch.codePointAt(0) as number);
}

function markerLabel(codePoint: number): string {
  return `⟦U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}⟧`;
}

function nameOf(codePoint: number): string {
  const known = NAMES[codePoint];
  if (known) return known;
  if (codePoint >= 0xe0000 && codePoint <= 0xe007f) return 'TAG CHARACTER (invisible)';
  if ((codePoint >= 0xfe00 && codePoint <= 0xfe0f) || (codePoint >= 0xe0100 && codePoint <= 0xe01ef))
    return 'VARIATION SELECTOR';
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return 'LONE SURROGATE';
  if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f)) return 'CONTROL CHARACTER';
  return 'INVISIBLE OR UNUSUAL CHARACTER';
}

/** Splits text into plain runs and markers. Iterates by code point, so astral characters (emoji, tags) stay whole. */
export function escapeText(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let run = '';
  for (const ch of text) {
    if (!isSuspicious(ch)) {
      run += ch;
      continue;
    }
    if (run) segments.push({ kind: 'text', text: run });
    run = '';
    const codePoint = ch.codePointAt(0) as number;
    segments.push({ kind: 'marker', codePoint, label: markerLabel(codePoint), name: nameOf(codePoint) });
  }
  if (run) segments.push({ kind: 'text', text: run });
  return segments;
}

/** The text with every marker written out: for previews, titles and tests. */
export function escapeToString(text: string): string {
  return escapeText(text)
    .map((s) => (s.kind === 'text' ? s.text : s.label))
    .join('');
}

export interface SuspiciousSummary {
  count: number;
  bidi: number;
}

/** How many marked characters a value holds (strings, keys and nested values alike). */
export function summarizeSuspicious(value: unknown): SuspiciousSummary {
  const summary = { count: 0, bidi: 0 };
  const visit = (v: unknown) => {
    if (typeof v === 'string') {
      for (const ch of v) {
        if (!isSuspicious(ch)) continue;
        summary.count++;
        if (BIDI.test(ch)) summary.bidi++;
      }
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object')
      for (const [k, inner] of Object.entries(v)) {
        visit(k);
        visit(inner);
      }
  };
  visit(value);
  return summary;
}

/** A one-line preview of arguments for the calls table: compact JSON with markers, cut at `max` characters. */
export function argumentsPreview(args: unknown, max = 160): string {
  let json: string;
  try {
    json = JSON.stringify(args) ?? '';
  } catch {
    json = String(args);
  }
  const escaped = escapeToString(json);
  const chars = [...escaped];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : escaped;
}
