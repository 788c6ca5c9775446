import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { authenticateMcp, originAllowed } from '../../../electron/gateway/front/request-guard.js';
import { hashToken } from '../../../electron/gateway/grants/store.js';

const grants = [{ name: 'cursor', created: '2026-01-01T00:00:00Z', tokenHash: hashToken('gh_cursor-token') }];
const sources = { adminToken: 'admin-secret', grants: () => grants, reloadGrants: () => grants };
const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('request guard', () => {
  it('accepts only the gateway’s own origin, or none', () => {
    expect(originAllowed(undefined, 7451)).toBe(true);
    expect(originAllowed('http://127.0.0.1:7451', 7451)).toBe(true);
    expect(originAllowed('http://localhost:7451', 7451)).toBe(true);
    expect(originAllowed('http://127.0.0.1:7452', 7451)).toBe(false);
    expect(originAllowed('https://127.0.0.1:7451', 7451)).toBe(false);
    expect(originAllowed('null', 7451)).toBe(false);
    expect(originAllowed('http://evil.example', 7451)).toBe(false);
  });

  it('maps a grant token to its grant and refuses others', () => {
    expect(authenticateMcp(req({ authorization: 'Bearer gh_cursor-token' }), sources)).toEqual({
      ok: true,
      kind: 'grant',
      grant: 'cursor',
    });
    expect(authenticateMcp(req({ authorization: 'Bearer gh_other' }), sources).ok).toBe(false);
    expect(authenticateMcp(req({}), sources).ok).toBe(false);
    expect(authenticateMcp(req({ authorization: 'Basic abc' }), sources).ok).toBe(false);
  });

  it('accepts a grant header only together with the admin token, and only for an existing grant', () => {
    expect(
      authenticateMcp(req({ authorization: 'Bearer admin-secret', 'x-gatehouse-grant': 'cursor' }), sources),
    ).toEqual({
      ok: true,
      kind: 'grant',
      grant: 'cursor',
    });
    expect(
      authenticateMcp(req({ authorization: 'Bearer admin-secret', 'x-gatehouse-grant': 'nobody' }), sources)
        .ok,
    ).toBe(false);
    expect(authenticateMcp(req({ authorization: 'Bearer admin-secret' }), sources).ok).toBe(false);
    expect(
      authenticateMcp(
        req({ authorization: 'Bearer gh_cursor-token', 'x-gatehouse-grant': 'cursor' }),
        sources,
      ).ok,
    ).toBe(false);
  });
});
