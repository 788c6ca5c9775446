// Some answers can only come from a person, fresh (DESIGN.md §6): the pause, a changed tool definition and the tripwire
// are never passed by a remembered approval or answered inside the agent's own client; "always allow" widens only the
// asking client's gate unless every client is chosen; and resuming releases the calls that only the pause held.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { connectClient } from '../../helpers/gateway-fixture.js';
import {
  answer,
  api,
  call,
  closeAll,
  elicitingClient,
  pending,
  setup,
  textOf,
  type Setup,
} from '../../helpers/approvals.js';

afterEach(closeAll);

const homeFile = (s: Setup) => path.join(s.home.home, 'policy.json');
/** Arguments the tripwire fires on: they name the Gatehouse home. */
const tripping = (s: Setup) => ({ message: `cat ${homeFile(s)}` });

describe('fresh answers', () => {
  it('a 15-minute approval never passes the tripwire; a late approval of the exact call passes its retry once', async () => {
    const s = await setup({
      approvalTimeoutSeconds: 1,
      tools: { echo: { action: 'approve', reason: 'ask first' } },
    });
    const first = call(s, 'ev__echo', { message: 'hello' });
    const [asked] = await pending(s);
    await answer(s, asked!.id, { decision: 'approve', remember: { minutes: 15 } });
    expect(textOf(await first)).toBe('Echo: hello');
    expect(textOf(await call(s, 'ev__echo', { message: 'any' }))).toBe('Echo: any'); // the 15 minutes work

    const wired = call(s, 'ev__echo', tripping(s));
    const [tripwire] = await pending(s);
    expect(tripwire!.reason).toMatch(/^tripwire: /);
    expect(textOf(await wired)).toMatch(/approval timed out/);
    await answer(s, tripwire!.id, { decision: 'approve' }); // late: bound to these arguments, single-use
    expect(textOf(await call(s, 'ev__echo', tripping(s)))).toBe(`Echo: ${tripping(s).message}`);
    const again = call(s, 'ev__echo', tripping(s));
    expect((await pending(s))[0]!.reason).toMatch(/^tripwire: /);
    expect(textOf(await again)).toMatch(/approval timed out/);
  });

  it('while paused, a 15-minute approval does not pass; resume releases the calls only the pause held', async () => {
    const s = await setup({ tools: { echo: { action: 'approve' } } });
    const first = call(s, 'ev__echo', { message: 'remember me' });
    await answer(s, (await pending(s))[0]!.id, { decision: 'approve', remember: { minutes: 15 } });
    await first;
    expect((await api(s, '/pause', 'PUT', { paused: true })).status).toBe(200);
    const held = call(s, 'ev__echo', { message: 'held by the pause' }); // remembered, but paused
    const heldSum = call(s, 'ev__get-sum', { a: 1, b: 2 }); // allowed by the policy, held by the pause
    const waiting = await pending(s, 2);
    expect(waiting.map((a) => a.reason)).toEqual([
      expect.stringMatching(/paused/),
      expect.stringMatching(/paused/),
    ]);
    expect((await api(s, '/pause', 'PUT', { paused: false })).status).toBe(200);
    // get-sum is allowed once the pause is gone: it goes on by itself. echo is remembered for 15 minutes, but a
    // call held by the pause is released only when nothing else would hold it: echo's rule still asks a person.
    expect(textOf(await heldSum)).toBe('The sum of 1 and 2 is 3.');
    const still = await pending(s);
    expect(still.map((a) => a.tool)).toEqual(['echo']);
    await answer(s, still[0]!.id, { decision: 'approve' });
    expect(textOf(await held)).toBe('Echo: held by the pause');
    const calls = (await api(s, '/calls?tool=get-sum&limit=5')).body.calls as { approval?: { by: string } }[];
    expect(calls[0]!.approval).toMatchObject({ by: 'Gatehouse', via: 'resume' });
  });

  it('an answer inside the client never answers the tripwire', async () => {
    const s = await setup({ approvalTimeoutSeconds: 2 });
    s.home.write('settings.json', { elicitationApprovals: true });
    await new Promise((r) => setTimeout(r, 300));
    const asked: string[] = [];
    const agent = await elicitingClient(s, true, asked);
    const result = agent.request(
      { method: 'tools/call', params: { name: 'ev__echo', arguments: tripping(s) } },
      CallToolResultSchema,
    );
    expect((await pending(s))[0]!.reason).toMatch(/^tripwire: /);
    expect(textOf(await result)).toMatch(/approval timed out/);
    expect(asked).toEqual([]);
    await agent.close();
  });
});

describe('always allow', () => {
  it('by default writes the asking client’s overlay: another client is still asked', async () => {
    const s = await setup({ tools: { echo: { action: 'approve' } } }, ['laptop', 'cursor']);
    const result = call(s, 'ev__echo', { message: 'mine' });
    await answer(s, (await pending(s))[0]!.id, { decision: 'approve', remember: 'always' });
    expect(textOf(await result)).toBe('Echo: mine');
    const policy = JSON.parse(fs.readFileSync(homeFile(s), 'utf8')) as Record<string, unknown>;
    expect(policy.grants).toEqual({ laptop: { servers: { ev: { tools: { echo: { action: 'allow' } } } } } });
    expect(policy.servers).toBeUndefined();
    expect(textOf(await call(s, 'ev__echo', { message: 'again' }))).toBe('Echo: again');

    const other = await connectClient(s.runtime.mcpUrl, s.home.tokens.cursor!);
    const theirs = other.callTool({ name: 'ev__echo', arguments: { message: 'theirs' } });
    const [asked] = await pending(s);
    expect(asked!.grant).toBe('cursor');
    await answer(s, asked!.id, { decision: 'deny' });
    expect(JSON.stringify(await theirs)).toMatch(/rejected by/);
    await other.close();
  });
});
