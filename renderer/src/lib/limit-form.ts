// The rate-limit editor's form: one limit of a tool's rule as typed, read back into the policy's `limits` entry
// (checked before anything is sent), and agreeing with a counter other rules already use. Pure.
import type { CounterUse } from './rule-parts';

export const WINDOWS = ['second', 'minute', 'hour', 'day'] as const;
/** A window of N seconds: the choice that shows the seconds field. */
export const SECONDS = 'seconds';
export const SCOPES = ['global', 'grant', 'session'] as const;
type WindowChoice = (typeof WINDOWS)[number] | typeof SECONDS;
type Scope = (typeof SCOPES)[number];

export interface LimitForm {
  max: string;
  window: WindowChoice;
  /** The N of a window of N seconds. */
  seconds: string;
  scope: Scope;
  counter: string;
}

const KNOWN_KEYS = ['counter', 'window', 'max', 'scope'];

function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return list.includes(value as T);
}

/** The window of a limit as the form's two fields. */
function windowFields(window: unknown): Pick<LimitForm, 'window' | 'seconds'> {
  if (isOneOf(WINDOWS, window)) return { window, seconds: '' };
  const seconds = (window as { seconds?: unknown } | null)?.seconds;
  return { window: SECONDS, seconds: typeof seconds === 'number' ? String(seconds) : '' };
}

export function newLimitForm(counter: string): LimitForm {
  return { max: '10', window: 'minute', seconds: '', scope: 'global', counter };
}

/** A limit of the policy as the form shows it. */
export function formOfLimit(limit: unknown): LimitForm {
  const { counter, window, max, scope } = (limit ?? {}) as Record<string, unknown>;
  return {
    max: typeof max === 'number' ? String(max) : '',
    ...windowFields(window),
    scope: isOneOf(SCOPES, scope) ? scope : 'global',
    counter: typeof counter === 'string' ? counter : '',
  };
}

/**
 * A counter shared with other rules must be described the same way (DESIGN.md §4): naming one that the policy
 * already uses takes its window, max and scope.
 */
export function agreeWithCounter(form: LimitForm, counters: ReadonlyMap<string, CounterUse>): LimitForm {
  const used = counters.get(form.counter);
  if (!used) return form;
  return {
    ...form,
    ...windowFields(used.window),
    max: typeof used.max === 'number' ? String(used.max) : form.max,
    scope: isOneOf(SCOPES, used.scope) ? used.scope : form.scope,
  };
}

const wholeNumber = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text) : Number.NaN);

export type LimitFormResult = { ok: true; limit: Record<string, unknown> } | { ok: false; errors: string[] };

/** The form as a `limits` entry, keeping the keys of `previous` the form does not show (`x-*`); or what is wrong. */
export function readLimitForm(form: LimitForm, previous?: unknown): LimitFormResult {
  const errors: string[] = [];
  const max = wholeNumber(form.max);
  if (!(max >= 1)) errors.push('Max calls must be a whole number, 1 or more.');
  const seconds = wholeNumber(form.seconds);
  if (form.window === SECONDS && !(seconds >= 1)) errors.push('Seconds must be a whole number, 1 or more.');
  const counter = form.counter.trim();
  if (counter === '') errors.push('Name the counter.');
  if (errors.length > 0) return { ok: false, errors };
  const extras = Object.entries((previous ?? {}) as Record<string, unknown>).filter(
    ([key]) => !KNOWN_KEYS.includes(key),
  );
  return {
    ok: true,
    limit: {
      counter,
      window: form.window === SECONDS ? { seconds } : form.window,
      max,
      scope: form.scope,
      ...Object.fromEntries(extras),
    },
  };
}
