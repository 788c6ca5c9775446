// An agent cannot flood a person, nor the gateway's memory, with calls that need approval: each client holds at most
// MAX_APPROVALS_PER_GRANT approvals (waiting or still answerable late), all clients MAX_APPROVALS.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ApprovalQueue,
  MAX_APPROVALS,
  MAX_APPROVALS_PER_GRANT,
  type ApprovalOutcome,
} from '../../../electron/gateway/approvals/queue.js';

const request = (grant: string, n: number) => ({
  grant,
  server: 'ev',
  tool: 'echo',
  exposedName: 'ev__echo',
  arguments: { n },
  reason: 'asks',
  risk: { category: 'read', level: 'low' as const, reasons: [] },
  argsHash: `hash-${n}`,
});

describe('approval queue bounds', () => {
  afterEach(() => vi.useRealTimers());
  const queue = () => new ApprovalQueue(() => Date.now(), { pending: () => {}, resolved: () => {} });

  it('refuses a client’s next call when its limit is all waiting; other clients still get asked', async () => {
    const q = queue();
    for (let n = 0; n < MAX_APPROVALS_PER_GRANT; n++) void q.wait(request('agent', n), 50);
    const refused = await q.wait(request('agent', 999), 50);
    expect(refused).toEqual({
      kind: 'overflow',
      reason: `${MAX_APPROVALS_PER_GRANT} calls of client "agent" already wait for a person: answer or deny them first`,
    });
    expect(q.list()).toHaveLength(MAX_APPROVALS_PER_GRANT);
    void q.wait(request('other', 1), 50);
    expect(q.list()).toHaveLength(MAX_APPROVALS_PER_GRANT + 1);
    q.shutdown();
  });

  it('makes room by dropping the client’s oldest approval whose call no longer waits (late-answerable)', async () => {
    vi.useFakeTimers();
    const q = queue();
    const outcomes: Promise<ApprovalOutcome>[] = [];
    for (let n = 0; n < MAX_APPROVALS_PER_GRANT; n++)
      outcomes.push(q.wait(request('agent', n), n === 0 ? 1 : 50));
    await vi.advanceTimersByTimeAsync(1500);
    expect(await outcomes[0]).toEqual({ kind: 'timed_out', afterSeconds: 1 });
    void q.wait(request('agent', 1000), 50);
    const shown = q.list().map((a) => (a.arguments as { n: number }).n);
    expect(shown).toHaveLength(MAX_APPROVALS_PER_GRANT);
    expect(shown).not.toContain(0);
    expect(shown).toContain(1000);
    q.shutdown();
  });

  it('holds all clients together to MAX_APPROVALS', async () => {
    const q = queue();
    const clients = Math.ceil(MAX_APPROVALS / MAX_APPROVALS_PER_GRANT);
    for (let c = 0; c < clients; c++)
      for (let n = 0; n < MAX_APPROVALS_PER_GRANT; n++) void q.wait(request(`c${c}`, n), 50);
    expect(q.list()).toHaveLength(MAX_APPROVALS);
    expect(await q.wait(request('late-comer', 1), 50)).toMatchObject({ kind: 'overflow' });
    q.shutdown();
  });
});
