// The Servers view's pure parts: the "Add a server" form read into a servers.json entry (checked before anything is
// sent), and the enable/disable switch's new config — refused when the config the API showed holds masked secrets,
// since writing it back would replace each secret with the mask.
import { SERVER_NAME_PATTERN, ServerConfig } from '../../../shared/servers';

/**
 * What the gateway writes in place of every secret it will not show (electron/gateway/control/mask.ts): env and
 * header values, secret arguments, URL credentials and query values.
 */
const MASK = '••••••';

type ServerKind = 'command' | 'url';

/** The form as typed. */
export interface ServerForm {
  name: string;
  kind: ServerKind;
  /** The program alone, kept whole (a path with spaces stays one). */
  command: string;
  /** One argument per line, each kept exactly as typed (spaces included); blank lines are skipped. */
  args: string;
  url: string;
  /** One `Name: value` per line; blank lines are skipped. */
  headers: string;
}

export type ServerFormField = 'name' | 'command' | 'args' | 'url' | 'headers';

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

/** The headers box: `Name: value` per line (the value may itself hold ":"); an error names the line. */
export function parseHeaders(text: string): { headers: Record<string, string> } | { error: string } {
  const headers: Record<string, string> = {};
  const all = lines(text);
  for (const [index, line] of all.entries()) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    const name = colon < 0 ? '' : line.slice(0, colon).trim();
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      return {
        error: `Line ${index + 1} is not a header: write it as Name: value (e.g. Authorization: Bearer …).`,
      };
    }
    if (Object.hasOwn(headers, name))
      return { error: `Header "${name}" is given twice (line ${index + 1}).` };
    headers[name] = line.slice(colon + 1).trim();
  }
  return { headers };
}

/** The form as a servers.json entry, or every reason it is not one yet. */
export function readServerForm(form: ServerForm): ServerFormResult {
  const errors: FieldError[] = [];
  const name = form.name.trim();
  if (name === '') errors.push({ field: 'name', message: 'Give the server a name.' });
  else if (!SERVER_NAME_PATTERN.test(name)) errors.push({ field: 'name', message: NAME_RULE });

  let config: ServerConfig | undefined;
  if (form.kind === 'command') {
    const command = form.command.trim();
    const args = parseArgs(form.args);
    if (command === '') {
      errors.push({ field: 'command', message: 'Give the command to run (the program, e.g. npx or node).' });
    } else if (/\s/.test(command) && !/[\\/]/.test(command.split(/\s/)[0] ?? '') && args.length === 0) {
      // "npx -y pkg" typed whole: a program of that name does not exist; a path with spaces is left alone.
      errors.push({
        field: 'command',
        message: 'Put the program alone under Command and each argument on its own line under Arguments.',
      });
    } else {
      config = { command, ...(args.length > 0 ? { args } : {}) };
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
  const checked = ServerConfig.safeParse(config);
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

/** Whether a config as the API shows it has a value the gateway masked anywhere in it. */
export function hasMaskedValue(value: unknown): boolean {
  if (typeof value === 'string') return value.includes(MASK);
  if (Array.isArray(value)) return value.some(hasMaskedValue);
  if (value !== null && typeof value === 'object') return Object.values(value).some(hasMaskedValue);
  return false;
}

/**
 * The config with `disabled` set (or removed, to enable), ready for putServer — or why the dashboard cannot write
 * it: it holds masked secrets (written back, they would be lost) or it is not a config the gateway would accept.
 */
export function withDisabled(
  shown: Record<string, unknown>,
  disabled: boolean,
): { config: ServerConfig } | { refused: string } {
  if (hasMaskedValue(shown)) {
    return {
      refused:
        'This server’s config holds secrets the dashboard never sees: change it in servers.json or with gatehouse server …',
    };
  }
  const next: Record<string, unknown> = { ...shown };
  if (disabled) next.disabled = true;
  else delete next.disabled;
  const parsed = ServerConfig.safeParse(next);
  if (!parsed.success)
    return { refused: `This server’s config cannot be written back as shown: ${parsed.error.message}` };
  return { config: parsed.data };
}
