// Secrets of servers.json never leave the gateway (DESIGN.md §2, §7): what the servers API and its events show of a
// server has env and header values masked, and secrets inside the command line, the URL and the status (stderr tail,
// error) masked the way the call log redacts them — the same finder (log/redact.ts), a plain mask instead of a hash.
import type { ServerConfig, UpstreamStatus } from '../../../shared/servers.js';
import type { Settings } from '../../../shared/settings.js';
import { isSecretName, redactString } from '../log/redact.js';

export const MASK = '••••••';
/** Shorter values are too common to mask wherever they appear ("1", "true", "dev"). */
const MIN_SECRET_LENGTH = 4;

/** `--api-key`, `-token`, `--password`: a flag whose next argument is its value (not `--no-auth`). */
function secretFlag(arg: string): boolean {
  const flag = /^--?([A-Za-z][\w.-]*)$/.exec(arg);
  return flag !== null && !/^no[-_]/i.test(flag[1] as string) && isSecretName(flag[1] as string);
}

/** `--token=…`, `-api_key=…`: the flag's name and `=`, when the name is secret-looking. */
function secretFlagWithValue(arg: string): string | undefined {
  const flag = /^(--?([A-Za-z][\w.-]*)=)/.exec(arg);
  return flag && isSecretName(flag[2] as string) ? flag[1] : undefined;
}

/** A path segment that looks generated (a token or id in the URL itself): long, with letters and digits. */
const TOKEN_SEGMENT = /^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9_~.-]{24,}$/;

/** The values of a config that must not appear anywhere: in its arguments, its URL, its stderr. */
function secretValuesOf(config: ServerConfig | undefined): string[] {
  if (!config) return [];
  const found = new Set<string>();
  const keep = (value: string | undefined) => {
    if (value !== undefined && value.length >= MIN_SECRET_LENGTH && value !== MASK) found.add(value);
  };
  const collect = (text: string) => redactString(text, (secret) => (keep(secret), MASK));
  if ('command' in config) {
    for (const [name, value] of Object.entries(config.env ?? {})) if (isSecretName(name)) keep(value);
    const args = config.args ?? [];
    args.forEach((arg, index) => {
      const previous = args[index - 1];
      if (previous !== undefined && secretFlag(previous) && !arg.startsWith('--')) keep(arg);
      const flag = secretFlagWithValue(arg);
      if (flag) keep(arg.slice(flag.length));
      collect(arg);
    });
    collect(config.command);
  } else {
    for (const value of Object.values(config.headers ?? {})) {
      keep(value);
      keep(/^\S+\s+(\S+)$/.exec(value)?.[1]); // the token of `Bearer <token>`
    }
    try {
      const url = new URL(config.url);
      keep(url.password);
      keep(decodeURIComponent(url.password));
      if (!url.password) keep(url.username);
      for (const segment of url.pathname.split('/')) if (TOKEN_SEGMENT.test(segment)) keep(segment);
      for (const [name, value] of url.searchParams) if (isSecretName(name)) keep(value);
    } catch {
      // Not a URL: what the finder sees in the text is all there is.
    }
    collect(config.url);
  }
  return [...found];
}

/** `text` with the given values and every secret the call log's finder recognizes masked. */
export function maskText(text: string, secrets: readonly string[]): string {
  let out = text;
  // Longest first, so a secret that holds another is masked whole.
  for (const secret of [...secrets].sort((x, y) => y.length - x.length)) {
    if (secret.length >= MIN_SECRET_LENGTH && out.includes(secret)) out = out.split(secret).join(MASK);
  }
  return redactString(out, () => MASK);
}

function maskArgs(args: readonly string[], secrets: readonly string[]): string[] {
  return args.map((arg, index) => {
    const previous = args[index - 1];
    if (previous !== undefined && secretFlag(previous) && !arg.startsWith('--')) return MASK;
    const flag = secretFlagWithValue(arg);
    return flag ? `${flag}${MASK}` : maskText(arg, secrets);
  });
}

/** The URL as shown: no credentials, no query values, no token-like path segment; the rest as written. */
function maskUrl(text: string, secrets: readonly string[]): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return MASK;
  }
  const user = url.username && url.password ? url.username : url.username ? MASK : '';
  const userinfo = url.username || url.password ? `${user}${url.password ? `:${MASK}` : ''}@` : '';
  const path = url.pathname
    .split('/')
    .map((segment) => (TOKEN_SEGMENT.test(segment) ? MASK : segment))
    .join('/');
  const query = url.search.replace(/([?&][^=&#]*=)[^&#]*/g, `$1${MASK}`);
  return maskText(`${url.protocol}//${userinfo}${url.host}${path}${query}${url.hash}`, secrets);
}

const maskValues = (record: Readonly<Record<string, string>>) =>
  Object.fromEntries(Object.keys(record).map((key) => [key, MASK]));

/** A server's config as the API shows it. */
export function maskServerConfig(config: ServerConfig): Record<string, unknown> {
  const secrets = secretValuesOf(config);
  const out: Record<string, unknown> = { ...config };
  if ('command' in config) {
    out.command = maskText(config.command, secrets);
    if (config.args) out.args = maskArgs(config.args, secrets);
    if (config.env) out.env = maskValues(config.env);
  } else {
    out.url = maskUrl(config.url, secrets);
    if (config.headers) out.headers = maskValues(config.headers);
  }
  return out;
}

/**
 * A URL of settings.json as the API and diagnostics show it (the team's Redis, the team's policy): its password (and any
 * user name without one), query values and token-like path segments masked.
 */
export const maskUrlSecrets = (url: string): string => maskUrl(url, []);

/**
 * settings.json as the API shows it: the values of the OTLP endpoint's headers (an API key) masked, and the secrets
 * in the team counters' Redis URL and the team policy's URL.
 */
export function maskSettings(settings: Settings): Settings {
  let shown = settings.counters
    ? { ...settings, counters: { ...settings.counters, redis: maskUrlSecrets(settings.counters.redis) } }
    : settings;
  if (settings.policySource)
    shown = {
      ...shown,
      policySource: { ...settings.policySource, url: maskUrlSecrets(settings.policySource.url) },
    };
  const headers = settings.otlp?.headers;
  if (!settings.otlp || !headers) return shown;
  return { ...shown, otlp: { ...settings.otlp, headers: maskValues(headers) } };
}

/**
 * A server's status as the API and its events show it: the stderr tail and the error masked like its config (found in
 * `servers` by its own name; a server just removed has none, and the finder alone masks it).
 */
export function maskStatus(
  status: UpstreamStatus,
  servers: Readonly<Record<string, ServerConfig>>,
): UpstreamStatus {
  const secrets = secretValuesOf(Object.hasOwn(servers, status.name) ? servers[status.name] : undefined);
  return {
    ...status,
    stderrTail: status.stderrTail.map((line) => maskText(line, secrets)),
    ...(status.error !== undefined ? { error: maskText(status.error, secrets) } : {}),
  };
}
