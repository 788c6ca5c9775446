// The team policy's source over time: nothing passes before the first good policy; the last good one is kept (in
// memory and under state/, for the next start, bound to its URL and holding no credential); a failure is said once per
// reason; plain http beyond loopback is warned about; team mode ends when settings.json drops policySource.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PolicySourceSettings } from '../../../shared/settings.js';
import type { TeamPolicyInput } from '../../../electron/gateway/policy/team-overlay.js';
import { PolicySource } from '../../../electron/gateway/team/policy-source.js';
import { startPolicyServer, type PolicyServer } from '../../helpers/policy-server.js';

const POLICY = { version: '1', default: 'allow', tools: { echo: { action: 'deny' } } };

describe('the team policy source', () => {
  let server: PolicyServer;
  let dir: string;
  const sources: PolicySource[] = [];
  beforeEach(async () => {
    server = await startPolicyServer();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-source-'));
  });
  afterEach(async () => {
    sources.splice(0).forEach((s) => s.close());
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function source(settings: { current: PolicySourceSettings | undefined }) {
    const enforced: (TeamPolicyInput | undefined)[] = [];
    const lines: string[] = [];
    const changes: (string | undefined)[] = [];
    const made = new PolicySource({
      settings: () => settings.current,
      cacheFile: path.join(dir, 'team-policy.json'),
      clock: () => Date.parse('2026-12-07T10:00:00Z'),
      diagnostics: (line) => lines.push(line),
      shownUrl: (url) => url.replace(/:[^:@/]*@/, ':••••••@'),
      enforce: (team) => enforced.push(team),
      changed: (error) => changes.push(error),
      limits: { timeoutMs: 300, maxBytes: 64 * 1024 },
    });
    sources.push(made);
    const kinds = () => enforced.map((e) => (e === undefined ? 'off' : 'team' in e ? 'team' : 'waiting'));
    return { made, enforced, lines, changes, kinds };
  }

  it('denies everything until the first good policy, then enforces it and keeps it for the next start', async () => {
    server.fail(503);
    const settings = { current: { url: server.url, refreshSeconds: 60 } };
    const first = source(settings);
    await first.made.configure();
    expect(first.kinds()).toEqual(['waiting', 'waiting']);
    const waiting = first.enforced[1] as { waiting: string };
    expect(waiting.waiting).toMatch(/has not arrived yet \(answered HTTP 503 Service Unavailable\)/);
    expect(first.made.state()).toMatchObject({
      waiting: true,
      lastError: 'answered HTTP 503 Service Unavailable',
    });

    server.serve(POLICY);
    await first.made.refresh();
    expect(first.kinds().at(-1)).toBe('team');
    expect(first.made.state()).toEqual({
      url: expect.stringContaining(':••••••@127.0.0.1'),
      etag: expect.any(String),
      fetchedAt: Date.parse('2026-12-07T10:00:00Z'),
      checkedAt: Date.parse('2026-12-07T10:00:00Z'),
      waiting: false,
      localOverlay: false,
    });
    const cache = fs.readFileSync(path.join(dir, 'team-policy.json'), 'utf8');
    expect(cache).not.toContain('s3cret');
    expect(fs.statSync(path.join(dir, 'team-policy.json')).mode & 0o777).toBe(0o600);

    // The next start, with the source down: the kept policy from the start, the failure said.
    server.fail(500);
    const next = source(settings);
    await next.made.configure();
    expect(next.kinds()).toEqual(['team']);
    expect(next.made.state()).toMatchObject({
      waiting: false,
      lastError: 'answered HTTP 500 Internal Server Error',
    });
    expect(next.lines.join('\n')).toMatch(/enforcing the one fetched 2026-12-07T10:00:00.000Z/);

    // Kept for its own URL only.
    const other = source({ current: { url: server.url.replace('/team/', '/other/'), refreshSeconds: 60 } });
    await other.made.configure();
    expect(other.kinds()[0]).toBe('waiting');
  });

  it('says a failure once per reason, and the recovery', async () => {
    server.serve(POLICY);
    const s = source({ current: { url: server.url, refreshSeconds: 60 } });
    await s.made.configure();
    server.fail(500);
    await s.made.refresh();
    await s.made.refresh();
    server.serve('{"version": "1", "default": "maybe"}');
    await s.made.refresh();
    const failures = s.lines.filter((l) => l.startsWith('team policy from'));
    expect(failures).toHaveLength(2);
    expect(failures[0]).toMatch(
      /answered HTTP 500 .*; still enforcing the last good team policy \(version \w{12}\)$/,
    );
    expect(failures[1]).toMatch(
      /not a valid policy: .*line 1 column 29: default must be one of allow, deny, approve/,
    );
    expect(s.changes.filter((c) => c !== undefined)).toHaveLength(2);
    expect(s.kinds()).toEqual(['waiting', 'team']);
    server.serve(POLICY);
    await s.made.refresh();
    expect(s.lines.at(-1)).toMatch(/answers again$/);
    expect(s.made.state()?.lastError).toBeUndefined();
  });

  it('warns of plain http beyond loopback, and ends team mode when the setting goes', async () => {
    const settings: { current: PolicySourceSettings | undefined } = {
      current: { url: 'http://10.255.255.1/policy.json', refreshSeconds: 60 },
    };
    const s = source(settings);
    await s.made.configure();
    expect(s.lines[0]).toMatch(
      /^warning: the team policy comes over plain http from http:\/\/10\.255\.255\.1/,
    );
    settings.current = undefined;
    await s.made.configure();
    expect(s.kinds().at(-1)).toBe('off');
    expect(s.made.state()).toBeUndefined();
  });

  it('fetches a new URL at once, even while a request to the old one hangs', async () => {
    const old = await startPolicyServer();
    try {
      old.hang();
      server.serve(POLICY);
      const settings = { current: { url: old.url, refreshSeconds: 60 } };
      const s = source(settings);
      const first = s.made.configure();
      settings.current = { url: server.url, refreshSeconds: 60 };
      await s.made.configure();
      expect(s.kinds()).toEqual(['waiting', 'waiting', 'team']);
      expect(s.made.state()?.url).toContain(`:${server.port}/`);
      await first; // the old request times out; its answer is dropped
      expect(s.kinds().at(-1)).toBe('team');
      expect(s.made.state()?.lastError).toBeUndefined();
    } finally {
      await old.close();
    }
  });

  it('stops a request in flight when closed', async () => {
    server.hang();
    const s = source({ current: { url: server.url, refreshSeconds: 60 } });
    const first = s.made.configure();
    s.made.close();
    await first;
    expect(s.kinds()).toEqual(['waiting']);
  });
});
