// The argument-rules editor's form: one argument's rule as typed, read back into the policy's `args` entry (checked
// before anything is sent or tried), and the live test field's text as the value to try. Pure.

export interface ArgForm {
  /** RE2, matched against the whole value. */
  pattern: string;
  /** A JSON list of the allowed values. */
  enumText: string;
  maxLength: string;
  min: string;
  max: string;
  /** `path.within`: one folder per line. */
  within: string;
  deny: boolean;
  optional: boolean;
}

const KNOWN_KEYS = ['pattern', 'enum', 'maxLength', 'min', 'max', 'path', 'deny', 'optional'];

export const EMPTY_ARG_FORM: ArgForm = {
  pattern: '',
  enumText: '',
  maxLength: '',
  min: '',
  max: '',
  within: '',
  deny: false,
  optional: false,
};

const numberText = (value: unknown) => (typeof value === 'number' ? String(value) : '');

/** An argument rule of the policy as the form shows it. */
export function formOfArgRule(rule: unknown): ArgForm {
  const r = (rule ?? {}) as Record<string, unknown>;
  const within = (r.path as { within?: unknown } | undefined)?.within;
  return {
    pattern: typeof r.pattern === 'string' ? r.pattern : '',
    enumText: Array.isArray(r.enum) ? JSON.stringify(r.enum) : '',
    maxLength: numberText(r.maxLength),
    min: numberText(r.min),
    max: numberText(r.max),
    within: Array.isArray(within) ? within.join('\n') : '',
    deny: r.deny === true,
    optional: r.optional === true,
  };
}

/** A number field: absent when empty, else a finite number (a whole one 0 or more for `whole`). */
function numberField(text: string, label: string, whole: boolean, errors: string[]): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const value = Number(trimmed);
  if (whole ? !/^\d+$/.test(trimmed) : !Number.isFinite(value)) {
    errors.push(whole ? `${label} must be a whole number, 0 or more.` : `${label} must be a number.`);
    return undefined;
  }
  return value;
}

function enumField(text: string, errors: string[]): unknown[] | undefined {
  if (text.trim() === '') return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    if (Array.isArray(value)) return value;
  } catch {
    // Reported below with what to write instead.
  }
  errors.push('Allowed values must be a JSON list, e.g. ["main", "dev"] or [1, 2].');
  return undefined;
}

export type ArgFormResult = { ok: true; rule: Record<string, unknown> } | { ok: false; errors: string[] };

/** The form as an `args` entry, keeping the keys of `previous` the form does not show (`x-*`); or what is wrong. */
export function readArgForm(form: ArgForm, previous?: unknown): ArgFormResult {
  const errors: string[] = [];
  const within = form.within
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const rule: Record<string, unknown> = {
    pattern: form.pattern === '' ? undefined : form.pattern,
    enum: enumField(form.enumText, errors),
    maxLength: numberField(form.maxLength, 'Max length', true, errors),
    min: numberField(form.min, 'Min', false, errors),
    max: numberField(form.max, 'Max', false, errors),
    path: within.length > 0 ? { within } : undefined,
    deny: form.deny || undefined,
    optional: form.optional || undefined,
  };
  if (errors.length > 0) return { ok: false, errors };
  const extras = Object.entries((previous ?? {}) as Record<string, unknown>).filter(
    ([key]) => !KNOWN_KEYS.includes(key),
  );
  const set = Object.entries(rule).filter(([, value]) => value !== undefined);
  return { ok: true, rule: Object.fromEntries([...set, ...extras]) };
}

/** The test field's text as the value to try: the text itself, or with `asJson` the JSON it holds. */
export function testValueOf(text: string, asJson: boolean): { ok: true; value: unknown } | { ok: false } {
  if (!asJson) return { ok: true, value: text };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}
