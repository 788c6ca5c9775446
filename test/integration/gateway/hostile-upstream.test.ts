// A hostile upstream (fixtures/hostile-server.mjs) sends garbage, floods, hangs, crashes mid-call, asks the client for
// sampling and elicitation and answers with more than a line may hold: each call gets a clear answer, the gateway
// keeps serving every other server, the hostile one comes back after its crash, and every call has its record.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Gateway } from '../../../electron/gateway/app/gateway.js';
import { readAllRecords } from '../../../electron/gateway/log/reader.js';
import {
  connectClient,
  everythingStdio,
  makeHome,
  startGateway,
  type TestHome,
} from '../../helpers/gateway-fixture.js';

const HOSTILE = path.join(import.meta.dirname, 'fixtures', 'hostile-server.mjs');

describe('a hostile upstream', () => {
  let home: TestHome;
  let gateway: Gateway;
  let client: Client;
  const text = (r: CallToolResult) => (r.content[0] as { text: string }).text;
  const call = async (name: string, timeout = 20_000) =>
    client.request({ method: 'tools/call', params: { name, arguments: {} } }, CallToolResultSchema, {
      timeout,
    });
  /** The gateway still serves another server and the hostile one's well-behaved tool. */
  const stillServing = async () => {
    expect(text(await call('ev__get-sum'))).toBeDefined();
    const deadline = Date.now() + 15_000;
    for (;;) {
      const fine = await call('bad__fine').catch((err: Error) => ({ content: [{ text: err.message }] }));
      if ((fine.content[0] as { text: string }).text === 'fine') return;
      if (Date.now() > deadline) throw new Error(`bad__fine did not come back: ${JSON.stringify(fine)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  beforeAll(async () => {
    home = makeHome({
      servers: { ev: everythingStdio(), bad: { command: process.execPath, args: [HOSTILE] } },
    });
    ({ gateway } = await startGateway(home, ['ev', 'bad']));
    client = await connectClient(gateway.runtime!.mcpUrl, home.tokens.test!);
  });
  afterAll(async () => {
    await client?.close();
    await gateway?.stop();
    home?.cleanup();
  });

  it('survives garbage on stdout and a flood of 5,000 log messages', async () => {
    expect(text(await call('bad__garbage'))).toBe('garbage sent');
    await stillServing();
    expect(text(await call('bad__flood'))).toBe('flooded');
    await stillServing();
  });

  it('refuses its sampling and elicitation requests for a client that cannot answer them', async () => {
    const answer = text(await call('bad__ask'));
    expect(answer).toContain('does not support sampling');
    expect(answer).toContain('does not support elicitation');
  });

  it('answers a call it crashes in, and restarts it', async () => {
    const crashed = await call('bad__crash');
    expect(crashed.isError).toBe(true);
    expect(text(crashed)).toMatch(
      /^Gatehouse could not complete bad__crash: upstream "bad" exited \(code 3\)/,
    );
    await stillServing();
  });

  it('answers a result too large for a line with an error, not a hang', async () => {
    const huge = await call('bad__huge');
    expect(huge.isError).toBe(true);
    expect(text(huge)).toMatch(/Gatehouse could not complete bad__huge/);
    await stillServing();
  });

  it('ends a call it never answers when the client gives up, and records how it ended', async () => {
    await expect(call('bad__hang', 1000)).rejects.toThrow(/timed out/i);
    await stillServing();
    const deadline = Date.now() + 5000;
    for (;;) {
      const hang = readAllRecords(path.join(home.home, 'logs')).records.find((r) => r.tool === 'hang');
      if (hang && hang.status !== 'pending') {
        expect(hang.status).toBe('error');
        break;
      }
      if (Date.now() > deadline) throw new Error(`the hung call has no outcome: ${JSON.stringify(hang)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const records = readAllRecords(path.join(home.home, 'logs')).records.filter((r) => r.server === 'bad');
    expect(records.every((r) => r.status !== 'pending')).toBe(true);
  });
});
