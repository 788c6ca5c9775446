// The last lines an upstream wrote to stderr, with secrets masked before they are kept: the server's own env and header
// values, and the commonest secret shapes. What the API shows is masked again by control/mask.ts with the call log's
// full finder (log/redact.ts, which this folder may not import); the shapes here keep the tail's first line, quoted
// in a start failure and so in Gatehouse's diagnostics, free of them as well.

const MASK = '***';
const TAIL_LINES = 50;
const MAX_LINE = 2000;
// Values shorter than this are too common to mask without wrecking the text ("1", "true", "dev").
const MIN_SECRET_LENGTH = 4;

const TOKEN_PATTERNS: RegExp[] = [
  /\bgh[pousr]_[A-Za-z0-9]{16,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{16,}/g,
  /\bsk-[A-Za-z0-9_-]{12,}/g,
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g,
  /\bxox[abposr]-[A-Za-z0-9-]{8,}/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  /(?<=\bBearer\s+)[A-Za-z0-9._~+/=-]+/gi,
  /(?<![A-Za-z0-9])gha?_(?=[A-Za-z0-9_-]{0,42}[A-Z0-9])[A-Za-z0-9_-]{43,}/g, // Gatehouse's grant and admin tokens
  /(?<=\b[a-z][a-z0-9+.-]{0,20}:\/\/[^\s/?#@:]{0,256}:)[^\s/?#]{1,256}?(?=@[^\s/?#@]*(?:[\s/?#]|$))/gi, // URL password
  /(?<=[?&#;](?:[A-Za-z0-9]+[_.-])*(?:sig|signature|key|token|secret|password|pwd|auth|credential)=)[^&#\s"'<>]+/gi,
  /(?<=\b[\w-]{0,40}?(?:password|passwd|pwd|secret|token|api[_-]?key)["']?[ \t]*[:=][ \t]*["']?)[^\s"'&,;]{4,}/gi,
];

export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  // Longest first, so a secret that contains another is masked whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join(MASK);
  }
  for (const pattern of TOKEN_PATTERNS) out = out.replace(pattern, MASK);
  return out;
}

export class StderrTail {
  private readonly lines: string[] = [];
  private partial = '';

  constructor(private readonly secrets: readonly string[] = []) {}

  /** Appends a chunk of stderr; returns the complete lines it finished (masked). */
  push(chunk: string): string[] {
    const parts = (this.partial + chunk).split(/\r?\n/);
    this.partial = (parts.pop() ?? '').slice(-MAX_LINE);
    const done = parts.map((line) => this.keep(line));
    return done;
  }

  /** Keeps a line Gatehouse itself adds (an exit notice), masked like the rest. */
  note(line: string): void {
    this.keep(line);
  }

  lastLine(): string | undefined {
    return this.lines.at(-1);
  }

  snapshot(): string[] {
    const partial = this.partial ? [maskSecrets(this.partial, this.secrets)] : [];
    return [...this.lines, ...partial].slice(-TAIL_LINES);
  }

  private keep(line: string): string {
    const masked = maskSecrets(line.slice(0, MAX_LINE), this.secrets);
    this.lines.push(masked);
    if (this.lines.length > TAIL_LINES) this.lines.splice(0, this.lines.length - TAIL_LINES);
    return masked;
  }
}
