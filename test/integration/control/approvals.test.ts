// Approvals end to end: a real client calls, a person answers through the control API, the client gets the result.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

afterEach(closeAll);
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { readAllRecords } from '../../../electron/gateway/log/reader.js';
import { answer, call, closeAll, elicitingClient, pending, setup, textOf } from '../../helpers/approvals.js';

describe('approvals', () => {
  it('approve once: the client gets the upstream result; the answer is in the log', async () => {
    const s = await setup({ tools: { echo: { action: 'approve', reason: 'echo needs a person' } } });
    const result = call(s, 'ev__echo', { message: 'hello' });
    const [approval] = await pending(s);
    expect(approval).toMatchObject({
      grant: 'test',
      server: 'ev',
      tool: 'echo',
      exposedName: 'ev__echo',
      arguments: { message: 'hello' },
      reason: 'echo needs a person',
    });
    expect(approval!.risk.level).toMatch(/low|medium|high/);
    expect(Date.parse(approval!.expiresAt) - Date.parse(approval!.createdAt)).toBe(50_000);
    expect((await answer(s, approval!.id, { decision: 'approve' })).status).toBe(200);
    expect((await result).content).toEqual([{ type: 'text', text: 'Echo: hello' }]);
    expect((await answer(s, approval!.id, { decision: 'approve' })).status).toBe(409);
    expect((await answer(s, 'no-such-id', { decision: 'approve' })).status).toBe(404);
    const [record] = readAllRecords(path.join(s.home.home, 'logs')).records;
    expect(record).toMatchObject({
      decision: 'approve',
      status: 'ok',
      approval: { decision: 'approve', by: 'the user', via: 'api' },
    });
  });

  it('deny: the client gets the denial naming who rejected it', async () => {
    const s = await setup({ tools: { echo: { action: 'approve' } } });
    const result = call(s, 'ev__echo', { message: 'no' });
    const [approval] = await pending(s);
    await answer(s, approval!.id, { decision: 'deny', via: 'dashboard' });
    const r = await result;
    expect(textOf(r)).toBe('Gatehouse denied ev__echo: rejected by the user in the dashboard');
    expect(r._meta?.['gatehouse/decision']).toMatchObject({ status: 'rejected' });
    const records = readAllRecords(path.join(s.home.home, 'logs')).records;
    expect(records.find((r) => r.status === 'rejected')?.approval).toMatchObject({
      by: 'the user',
      via: 'dashboard',
    });
  });

  it('names each place an answer can come from, and refuses places only Gatehouse may claim', async () => {
    const s = await setup({ tools: { echo: { action: 'approve' } } });
    const places = {
      popup: 'in the approval popup',
      notification: 'from a notification',
      terminal: 'in a terminal (gatehouse approvals)',
    } as const;
    for (const [via, place] of Object.entries(places)) {
      const result = call(s, 'ev__echo', { message: via });
      const [approval] = await pending(s);
      await answer(s, approval!.id, { decision: 'deny', via });
      expect(textOf(await result)).toBe(`Gatehouse denied ev__echo: rejected by the user ${place}`);
    }
    const result = call(s, 'ev__echo', { message: 'claims' });
    const [approval] = await pending(s);
    // An answer cannot pretend to be the agent's own client or Gatehouse's resume.
    for (const via of ['client', 'resume']) {
      expect((await answer(s, approval!.id, { decision: 'approve', via })).status).toBe(400);
    }
    await answer(s, approval!.id, { decision: 'deny' });
    expect(textOf(await result)).toBe(
      'Gatehouse denied ev__echo: rejected by the user through the control API',
    );
  });

  it('timeout, then a late approval lets exactly one identical retry pass', async () => {
    const s = await setup({ approvalTimeoutSeconds: 1, tools: { echo: { action: 'approve' } } });
    const first = await call(s, 'ev__echo', { message: 'late' });
    expect(textOf(first)).toBe(
      'Gatehouse denied ev__echo: approval timed out after 1 s — if a person approves it in Gatehouse within 10 minutes, an identical retry will pass',
    );
    expect(first._meta?.['gatehouse/decision']).toMatchObject({ status: 'timed_out' });
    const [late] = await pending(s);
    expect((await answer(s, late!.id, { decision: 'approve' })).status).toBe(200);
    expect(textOf(await call(s, 'ev__echo', { message: 'other args' }))).toMatch(/timed out/);
    expect(textOf(await call(s, 'ev__echo', { message: 'late' }))).toBe('Echo: late');
    expect(textOf(await call(s, 'ev__echo', { message: 'late' }))).toMatch(/timed out/);
  });

  it('approve for N minutes: any arguments, or only the same arguments', async () => {
    const s = await setup({ tools: { echo: { action: 'approve' }, 'get-sum': { action: 'approve' } } });
    let result = call(s, 'ev__echo', { message: 'a' });
    let [approval] = await pending(s);
    await answer(s, approval!.id, { decision: 'approve', remember: { minutes: 15 } });
    expect(textOf(await result)).toBe('Echo: a');
    expect(textOf(await call(s, 'ev__echo', { message: 'b' }))).toBe('Echo: b');

    result = call(s, 'ev__get-sum', { a: 1, b: 2 });
    [approval] = await pending(s);
    await answer(s, approval!.id, { decision: 'approve', remember: { minutes: 15, sameArguments: true } });
    expect(textOf(await result)).toMatch(/3/);
    expect(textOf(await call(s, 'ev__get-sum', { b: 2, a: 1 }))).toMatch(/3/);
    const different = call(s, 'ev__get-sum', { a: 2, b: 2 });
    [approval] = await pending(s);
    await answer(s, approval!.id, { decision: 'deny' });
    expect(textOf(await different)).toMatch(/rejected/);
  });

  it('always allow for every client writes servers.<server>.tools.<tool>, keeping the rule’s args and limits and the file’s formatting', async () => {
    const s = await setup({
      'x-owner': 'ops',
      tools: {
        'ec*': {
          action: 'approve',
          args: { message: { maxLength: 20 } },
          limits: [{ counter: 'echoes', window: 'minute', max: 50 }],
        },
      },
    });
    const file = path.join(s.home.home, 'policy.json');
    const before = fs.readFileSync(file, 'utf8');
    const result = call(s, 'ev__echo', { message: 'always' });
    const [approval] = await pending(s);
    await answer(s, approval!.id, { decision: 'approve', remember: 'always-all-clients' });
    expect(textOf(await result)).toBe('Echo: always');
    const after = fs.readFileSync(file, 'utf8');
    const policy = JSON.parse(after) as Record<string, unknown>;
    expect(policy['x-owner']).toBe('ops');
    expect((policy.servers as Record<string, { tools: Record<string, unknown> }>).ev!.tools.echo).toEqual({
      action: 'allow',
      args: { message: { maxLength: 20 } },
      limits: [{ counter: 'echoes', window: 'minute', max: 50 }],
    });
    expect(after.startsWith(before.slice(0, before.indexOf('"tools"')))).toBe(true);
    expect(textOf(await call(s, 'ev__echo', { message: 'now allowed' }))).toBe('Echo: now allowed');
  });

  it('answers two concurrent approvals in reverse order, each call getting its own answer', async () => {
    const s = await setup({ tools: { echo: { action: 'approve' } } });
    const one = call(s, 'ev__echo', { message: 'one' });
    const two = call(s, 'ev__echo', { message: 'two' });
    const list = await pending(s, 2);
    const byMessage = (m: string) => list.find((a) => a.arguments.message === m)!;
    await answer(s, byMessage('two').id, { decision: 'approve' });
    expect(textOf(await two)).toBe('Echo: two');
    await answer(s, byMessage('one').id, { decision: 'deny' });
    expect(textOf(await one)).toMatch(/rejected by the user/);
  });

  it('a policy reload to deny while a call waits: approved, but denied at release', async () => {
    const s = await setup({ tools: { echo: { action: 'approve' } } });
    const result = call(s, 'ev__echo', { message: 'wait' });
    const [approval] = await pending(s);
    s.home.write('policy.json', {
      version: '1',
      default: 'allow',
      tools: { echo: { action: 'deny', reason: 'frozen' } },
    });
    await new Promise((r) => setTimeout(r, 500));
    await answer(s, approval!.id, { decision: 'approve' });
    expect(textOf(await result)).toBe(
      'Gatehouse denied ev__echo: approved by the user through the control API, but at release: frozen',
    );
  });

  it('rate limit max 2 with five calls pending, all approved: exactly two are forwarded', async () => {
    const s = await setup({
      tools: { echo: { action: 'approve', limits: [{ counter: 'e', window: 'hour', max: 2 }] } },
    });
    const calls = [1, 2, 3, 4, 5].map((i) => call(s, 'ev__echo', { message: `m${i}` }));
    const list = await pending(s, 5);
    await Promise.all(list.map((a) => answer(s, a.id, { decision: 'approve' })));
    const texts = (await Promise.all(calls)).map(textOf);
    expect(texts.filter((t) => t.startsWith('Echo: '))).toHaveLength(2);
    expect(texts.filter((t) => t.includes('rate limit "e" reached (2 per hour)'))).toHaveLength(3);
  });

  it('when the gateway stops, every pending call gets a clear answer', async () => {
    const s = await setup({ tools: { echo: { action: 'approve' } } });
    const result = call(s, 'ev__echo', { message: 'stop' });
    await pending(s);
    const stopped = s.gateway.stop();
    const outcome = await result.then(textOf, (err: Error) => `error: ${err.message}`);
    expect(outcome).toMatch(/Gatehouse stopped before anyone answered|error: /);
    await stopped;
  });

  it('the tripwire asks a person for a call that mentions the Gatehouse home, even where the policy allows', async () => {
    const s = await setup({});
    const result = call(s, 'ev__echo', { message: `cat ${s.home.home}/policy.json` });
    const [approval] = await pending(s);
    expect(approval!.reason).toMatch(/^tripwire: the arguments mention the Gatehouse home/);
    await answer(s, approval!.id, { decision: 'deny' });
    expect(textOf(await result)).toMatch(/rejected/);
    expect(textOf(await call(s, 'ev__echo', { message: 'harmless' }))).toBe('Echo: harmless');
  });
});

describe('approving inside the client (elicitation)', () => {
  it('is off by default: the client is never asked', async () => {
    const s = await setup({ approvalTimeoutSeconds: 1, tools: { echo: { action: 'approve' } } });
    const asked: string[] = [];
    const c = await elicitingClient(s, true, asked);
    const r = await c.request(
      { method: 'tools/call', params: { name: 'ev__echo', arguments: { message: 'x' } } },
      CallToolResultSchema,
    );
    expect(textOf(r)).toMatch(/timed out/);
    expect(asked).toEqual([]);
    await c.close();
  });

  it('when on, a person answering in the client approves or denies the call', async () => {
    const s = await setup({ tools: { echo: { action: 'approve', reason: 'ask first' } } });
    s.home.write('settings.json', { elicitationApprovals: true });
    await new Promise((r) => setTimeout(r, 300));
    const asked: string[] = [];
    const yes = await elicitingClient(s, true, asked);
    const ok = await yes.request(
      { method: 'tools/call', params: { name: 'ev__echo', arguments: { message: 'via client' } } },
      CallToolResultSchema,
    );
    expect(textOf(ok)).toBe('Echo: via client');
    expect(asked[0]).toContain('Gatehouse: allow ev__echo?');
    const no = await elicitingClient(s, false, asked);
    const refused = await no.request(
      { method: 'tools/call', params: { name: 'ev__echo', arguments: { message: 'no' } } },
      CallToolResultSchema,
    );
    expect(textOf(refused)).toBe('Gatehouse denied ev__echo: rejected by the user in the client');
    await yes.close();
    await no.close();
  });
});
