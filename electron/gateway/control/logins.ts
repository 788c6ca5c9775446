// Getting into the dashboard: a one-time code (in a URL fragment, never sent to a server log) is exchanged once for a
// dashboard session token. The admin token itself never appears in a URL.
import crypto from 'node:crypto';
import { newAdminToken, safeEqual } from '../grants/store.js';

const CODE_LIFETIME_MS = 10 * 60_000;

export class DashboardLogins {
  private readonly codes = new Map<string, number>();
  private readonly tokens = new Set<string>();

  constructor(private readonly clock: () => number) {}

  newCode(): string {
    const code = crypto.randomBytes(18).toString('base64url');
    this.codes.set(code, this.clock() + CODE_LIFETIME_MS);
    return code;
  }

  /** A dashboard token for a valid unused code; undefined otherwise. The code is spent either way. */
  exchange(code: string): string | undefined {
    const expires = this.codes.get(code);
    this.codes.delete(code);
    if (expires === undefined || expires < this.clock()) return undefined;
    // As strong as the admin token, and in its format, so the log redacts it wherever it turns up.
    const token = newAdminToken();
    this.tokens.add(token);
    return token;
  }

  /** Ends a dashboard session (sign-out); false when `token` is not a dashboard token. */
  revoke(token: string): boolean {
    for (const known of this.tokens) {
      if (safeEqual(known, token)) {
        this.tokens.delete(known);
        return true;
      }
    }
    return false;
  }

  isToken(token: string): boolean {
    for (const known of this.tokens) if (safeEqual(known, token)) return true;
    return false;
  }
}
