// Redaction of everything the log stores: secret-looking argument names and known token formats anywhere in a string.
import crypto from 'node:crypto';

const SECRET_NAME =
  /(token|password|passwd|secret|api[_-]?key|apikey|authorization|auth|credential|private[_-]?key|cookie|session[_-]?key)/i;

// Known token formats: GitHub, OpenAI/Anthropic-style, AWS access keys, Slack, JWTs, bearer headers, private key blocks.
const TOKEN_PATTERNS: RegExp[] = [
  /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g,
  /\bsk-[A-Za-z0-9_-]{16,}\b/g,
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g,
  /\bgh_[A-Za-z0-9_-]{40,}\b/g,
  /(?<=\bBearer\s+)[A-Za-z0-9._~+/=-]{12,}/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
];

export function secretMarker(value: string): string {
  const hash = crypto.createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 12);
  return `[redacted sha256:${hash}]`;
}

export function redactString(text: string): string {
  let out = text;
  for (const pattern of TOKEN_PATTERNS) {
    pattern.lastIndex = 0;
    out = out.replace(pattern, (match) => secretMarker(match));
  }
  return out;
}

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** A deep copy with secrets replaced; `keepValues: false` replaces every leaf by its marker (logArgumentValues off). */
export function redactValue(value: unknown, keepValues = true, name?: string): unknown {
  if (typeof value === 'string') {
    if (!keepValues || (name !== undefined && isSecretName(name))) return secretMarker(value);
    return redactString(value);
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, keepValues, name));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (isSecretName(k) && v !== null && typeof v !== 'object') out[k] = secretMarker(String(v));
      else out[k] = redactValue(v, keepValues, isSecretName(k) ? k : undefined);
    }
    return out;
  }
  if (!keepValues && value !== null && value !== undefined) return secretMarker(JSON.stringify(value));
  return value;
}
