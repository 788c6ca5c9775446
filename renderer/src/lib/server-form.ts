// The Servers view's pure parts: the server form (add, or edit one prefilled from the config the API showed) read
// into a servers.json entry, checked before anything is sent, and the enable/disable switch's new config. Secrets
// stay masked throughout: the gateway keeps the stored value wherever a masked one comes back unchanged
// (electron/gateway/control/unmask.ts), so the dashboard never needs to see them.
import { SERVER_NAME_PATTERN, ServerConfig } from '../../../shared/servers';

/**
 * What the gateway writes in place of every secret it will not show (electron/gateway/control/mask.ts): env and
 * header values, secret arguments, URL credentials and query values.
 */
export const MASK = '••••••';

type ServerKind = 'command' | 'url';

/** The form as typed. */
export interface ServerForm {
  name: string;
  kind: ServerKind;
  /** The program alone, kept whole (a path with spaces stays one). */
  command: string;
  /** One argument per line, each kept exactly as typed (spaces included); blank lines are skipped. */
  args: string;
  /** The folder it runs in; empty for the gateway's own. */
  cwd: string;
  /** One `NAME=value` per line; blank lines are skipped. */
  env: string;
  url: string;
  /** One `Name: value` per line; blank lines are skipped. */
  headers: string;
}

type ServerFormField = 'name' | 'command' | 'args' | 'env' | 'url' | 'headers';

export interface FieldError {
  field: ServerFormField;
  message: string;
}

export type ServerFormResult =
  { ok: true; name: string; config: ServerConfig } | { ok: false; errors: FieldError[] };

export const EMPTY_SERVER_FORM: ServerForm = {
  name: '',
  kind: 'command',
  command: '',
  args: '',
  cwd: '',
  env: '',
  url: '',
  headers: '',
};

export const NAME_RULE =
  'A name is 1–32 characters: lowercase letters, digits and "-", starting with a letter or digit.';

const lines = (text: string) => text.split(/\r?\n/);

/** The arguments box: one argument per line, exactly as typed; lines that are empty or only spaces are skipped. */
export function parseArgs(text: string): string[] {
  return lines(text).filter((line) => line.trim() !== '');
}

interface PairSyntax {
  separator: string;
  name: RegExp;
  /** What one line is, for the error: `a header`, `a variable`. */
  what: string;
  example: string;
}

/** A box of one `name<separator>value` per line (the value may itself hold the separator); an error names the line. */
function parsePairs(text: string, syntax: PairSyntax): { pairs: Record<string, string> } | { error: string } {
  const pairs: Record<string, string> = {};
  for (const [index, line] of lines(text).entries()) {
    if (line.trim() === '') continue;
    const at = line.indexOf(syntax.separator);
    const name = at < 0 ? '' : line.slice(0, at).trim();
    if (!syntax.name.test(name)) {
      return { error: `Line ${index + 1} is not ${syntax.what}: write it as ${syntax.example}.` };
    }
    if (Object.hasOwn(pairs, name)) return { error: `"${name}" is given twice (line ${index + 1}).` };
    pairs[name] = line.slice(at + 1).trim();
  }
  return { pairs };
}

const HEADER: PairSyntax = {
  separator: ':',
  name: /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/,
  what: 'a header',
  example: 'Name: value (e.g. Authorization: Bearer …)',
};
const ENV: PairSyntax = {
  separator: '=',
  name: /^[A-Za-z_][A-Za-z0-9_]*$/,
  what: 'a variable',
  example: 'NAME=value (e.g. API_KEY=…)',
};

/** The headers box: `Name: value` per line. */
export function parseHeaders(text: string): { headers: Record<string, string> } | { error: string } {
  const parsed = parsePairs(text, HEADER);
  return 'error' in parsed ? parsed : { headers: parsed.pairs };
}

/** The environment box: `NAME=value` per line. */
export function parseEnv(text: string): { env: Record<string, string> } | { error: string } {
  const parsed = parsePairs(text, ENV);
  return 'error' in parsed ? parsed : { env: parsed.pairs };
}

const pairsText = (record: unknown, separator: string) =>
  Object.entries((record ?? {}) as Record<string, string>)
    .map(([name, value]) => `${name}${separator}${value}`)
    .join('\n');

/** The keys the form edits; the others (toolPrefix, disabled, roots…) are kept as they are. */
const FORM_KEYS = ['command', 'args', 'cwd', 'env', 'url', 'headers'];

/** The form prefilled from a server's config as the API showed it (secrets masked, left so unless retyped). */
export function formOf(name: string, shown: Record<string, unknown>): ServerForm {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return {
    name,
    kind: 'url' in shown ? 'url' : 'command',
    command: text(shown.command),
    args: ((shown.args ?? []) as string[]).join('\n'),
    cwd: text(shown.cwd),
    env: pairsText(shown.env, '='),
    url: text(shown.url),
    headers: pairsText(shown.headers, ': '),
  };
}

/**
 * The form as a servers.json entry, or every reason it is not one yet. `shown` is the config being edited: its keys
 * the form does not show are kept.
 */
export function readServerForm(form: ServerForm, shown: Record<string, unknown> = {}): ServerFormResult {
  const errors: FieldError[] = [];
  const name = form.name.trim();
  if (name === '') errors.push({ field: 'name', message: 'Give the server a name.' });
  else if (!SERVER_NAME_PATTERN.test(name)) errors.push({ field: 'name', message: NAME_RULE });

  let config: ServerConfig | undefined;
  if (form.kind === 'command') {
    const command = form.command.trim();
    const args = parseArgs(form.args);
    const cwd = form.cwd.trim();
    const env = parseEnv(form.env);
    if ('error' in env) errors.push({ field: 'env', message: env.error });
    if (command === '') {
      errors.push({ field: 'command', message: 'Give the command to run (the program, e.g. npx or node).' });
    } else if (/\s/.test(command) && !/[\\/]/.test(command.split(/\s/)[0] ?? '') && args.length === 0) {
      // "npx -y pkg" typed whole: a program of that name does not exist; a path with spaces is left alone.
      errors.push({
        field: 'command',
        message: 'Put the program alone under Command and each argument on its own line under Arguments.',
      });
    } else if ('env' in env) {
      config = {
        command,
        ...(args.length > 0 ? { args } : {}),
        ...(cwd !== '' ? { cwd } : {}),
        ...(Object.keys(env.env).length > 0 ? { env: env.env } : {}),
      };
    }
  } else {
    const url = form.url.trim();
    const headers = parseHeaders(form.headers);
    if ('error' in headers) errors.push({ field: 'headers', message: headers.error });
    if (url === '') {
      errors.push({ field: 'url', message: 'Give the server’s URL (http:// or https://).' });
    } else if (!isHttpUrl(url)) {
      errors.push({
        field: 'url',
        message: `"${url}" is not a URL: write it whole, e.g. https://example.com/mcp.`,
      });
    } else if ('headers' in headers) {
      config = { url, ...(Object.keys(headers.headers).length > 0 ? { headers: headers.headers } : {}) };
    }
  }
  if (errors.length > 0 || !config) return { ok: false, errors };
  const kept = Object.entries(shown).filter(
    ([key]) => !FORM_KEYS.includes(key) && (key !== 'type' || form.kind === 'url'),
  );
  const checked = ServerConfig.safeParse({ ...Object.fromEntries(kept), ...config });
  if (!checked.success) {
    return {
      ok: false,
      errors: [{ field: form.kind, message: checked.error.issues.map((i) => i.message).join('; ') }],
    };
  }
  return { ok: true, name, config: checked.data };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host !== '';
  } catch {
    return false;
  }
}

/**
 * The config as the API showed it with `disabled` set (or removed, to enable), ready for putServer — its masked
 * secrets are kept by the gateway — or why it is not a config the gateway would accept.
 */
export function withDisabled(
  shown: Record<string, unknown>,
  disabled: boolean,
): { config: ServerConfig } | { refused: string } {
  const next: Record<string, unknown> = { ...shown };
  if (disabled) next.disabled = true;
  else delete next.disabled;
  const parsed = ServerConfig.safeParse(next);
  if (!parsed.success)
    return { refused: `This server’s config cannot be written back as shown: ${parsed.error.message}` };
  return { config: parsed.data };
}
