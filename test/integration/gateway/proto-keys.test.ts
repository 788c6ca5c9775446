// Keys named __proto__, constructor and prototype are plain data from the client to the upstream: the arguments
// checked are the arguments shown on the approval card, logged, hashed and forwarded, and a policy rule or argument
// rule keyed by such a name applies to the tool or argument of that name. JSON.parse makes "__proto__" an own key;
// `obj[key] = v`, Object.assign and zod's records set the prototype instead (or drop the key), so a value could be
// checked in one shape and shown or forwarded in another. The gateway runs in this process, so Object.prototype can
// be looked at directly.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Gateway } from '../../../electron/gateway/app/gateway.js';
import type { RuntimeInfo } from '../../../electron/gateway/home/runtime.js';
import { argsHash } from '../../../electron/gateway/log/canonical.js';
import {
  connectClient,
  everythingStdio,
  makeHome,
  startGateway,
  type TestHome,
} from '../../helpers/gateway-fixture.js';

/** The arguments of the issue, parsed as the gateway parses a body: "__proto__" is an own key. */
const ARGS_TEXT = '{"__proto__": {"polluted": 1}, "constructor": "x", "message": "hi"}';
const customArgs = () => JSON.parse(ARGS_TEXT) as Record<string, unknown>;

/**
 * An upstream that answers JSON-RPC by hand (no SDK schema between the wire and it, so nothing drops a key): each
 * tools/call returns the arguments it received, as JSON text. Tools named after Object.prototype's own names.
 */
const RAW_UPSTREAM = `
import readline from 'node:readline';
const send = (message) => process.stdout.write(JSON.stringify(message) + '\\n');
const tools = ['show', '__proto__', 'constructor', 'prototype', 'toString'].map((name) => ({
  name,
  description: 'returns the arguments it received',
  inputSchema: { type: 'object' },
}));
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const message = JSON.parse(line);
  if (message.id === undefined) return;
  const result =
    message.method === 'initialize'
      ? { protocolVersion: message.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'raw', version: '1' } }
      : message.method === 'tools/list'
        ? { tools }
        : message.method === 'tools/call'
          ? { content: [{ type: 'text', text: JSON.stringify(message.params.arguments ?? null) }] }
          : message.method === 'ping'
            ? {}
            : undefined;
  if (result) send({ jsonrpc: '2.0', id: message.id, result });
  else send({ jsonrpc: '2.0', id: message.id, error: { code: -32601, message: 'Method not found' } });
});
`;

const POLICY_TEXT = `{
  "version": "1",
  "default": "allow",
  "servers": {
    "ev": {
      "tools": {
        "echo": { "action": "approve", "reason": "a person reads every echo" },
        "get-sum": { "args": { "__proto__": { "deny": true } } }
      }
    },
    "raw": {
      "tools": {
        "__proto__": { "action": "deny", "reason": "the __proto__ tool is switched off" },
        "constructor": { "action": "deny", "reason": "the constructor tool is switched off" },
        "prototype": { "action": "approve" },
        "show": { "args": { "constructor": { "enum": ["x"] }, "prototype": { "optional": true, "maxLength": 3 } } }
      }
    }
  }
}
`;

const textOf = (result: unknown) => {
  const block = (result as CallToolResult).content[0];
  return block?.type === 'text' ? block.text : '';
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value of an own key, never an inherited one. */
const own = (value: unknown, key: string) =>
  isObject(value) && Object.hasOwn(value, key)
    ? Object.getOwnPropertyDescriptor(value, key)?.value
    : undefined;

function expectCustomArgs(value: unknown): void {
  expect(isObject(value)).toBe(true);
  expect(Object.keys(value as object).sort()).toEqual(['__proto__', 'constructor', 'message']);
  expect(own(value, '__proto__')).toEqual({ polluted: 1 });
  expect(own(value, 'constructor')).toBe('x');
  expect(own(value, 'message')).toBe('hi');
  expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
}

function expectPrototypeClean(): void {
  expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

describe('__proto__, constructor and prototype as plain data', () => {
  let home: TestHome;
  let gateway: Gateway;
  let runtime: RuntimeInfo;
  let client: Client;

  const api = (route: string, init: RequestInit = {}) =>
    fetch(`${runtime.controlUrl}${route}`, {
      ...init,
      headers: { authorization: `Bearer ${runtime.adminToken}`, 'content-type': 'application/json' },
    });

  /** The body of an API answer parsed as the gateway's JSON: own "__proto__" keys stay own keys. */
  const apiJson = async (route: string) => JSON.parse(await (await api(route)).text()) as unknown;

  /** Cards already looked at: each test waits for a card of its own. */
  const seen = new Set<string>();

  async function pendingApproval(tool: string): Promise<Record<string, unknown>> {
    for (let i = 0; i < 200; i++) {
      const body = (await apiJson('/approvals')) as { approvals: Record<string, unknown>[] };
      const found = body.approvals.find((a) => a.tool === tool && !seen.has(String(a.id)));
      if (found) {
        seen.add(String(found.id));
        return found;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no approval for ${tool}`);
  }

  const answer = async (card: Record<string, unknown>, decision: 'approve' | 'deny', remember?: unknown) =>
    (
      await api(`/approvals/${String(card.id)}`, {
        method: 'POST',
        body: JSON.stringify({ decision, ...(remember !== undefined ? { remember } : {}) }),
      })
    ).status;

  /** The decision lines of the call log, parsed from the file itself. */
  function logLines(): Record<string, unknown>[] {
    const dir = path.join(home.home, 'logs');
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.jsonl'))
      .flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n'))
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  beforeAll(async () => {
    home = makeHome();
    // As text: a JS object literal cannot hold an own "__proto__" key; policy.json can.
    home.write('policy.json', POLICY_TEXT);
    const rawUpstream = path.join(home.home, 'raw-upstream.mjs');
    fs.writeFileSync(rawUpstream, RAW_UPSTREAM);
    home.write('servers.json', {
      mcpServers: { ev: everythingStdio(), raw: { command: process.execPath, args: [rawUpstream] } },
    });
    ({ gateway, runtime } = await startGateway(home, ['ev', 'raw']));
    client = await connectClient(runtime.mcpUrl, home.tokens.test!);
  });

  afterAll(async () => {
    await client?.close();
    await gateway?.stop();
    home?.cleanup();
    expectPrototypeClean();
  });

  it('logs, hashes and forwards exactly the arguments the client sent', async () => {
    const result = client.callTool({ name: 'ev__echo', arguments: customArgs() });
    const card = await pendingApproval('echo');
    expect(await answer(card, 'approve')).toBe(200);
    expect(textOf(await result)).toBe('Echo: hi');

    // The log line's arguments have __proto__ as a key with its value (not as the prototype of a copy).
    const decision = logLines().find((l) => l.tool === 'echo' && l.arguments !== undefined);
    expectCustomArgs(decision?.arguments);
    expect(decision?.argsHash).toBe(argsHash(customArgs()));
    expect(argsHash(customArgs())).not.toBe(argsHash({ constructor: 'x', message: 'hi' }));
    // The calls API and the live view hand the record out the same way.
    const calls = (await apiJson('/calls?tool=echo')) as { calls: Record<string, unknown>[] };
    expectCustomArgs(calls.calls[0]?.arguments);

    // The upstream receives exactly the object that was checked and logged.
    const raw = await client.callTool({ name: 'raw__show', arguments: customArgs() });
    expect(raw.isError).toBeFalsy();
    expectCustomArgs(JSON.parse(textOf(raw)));
    expectCustomArgs(logLines().find((l) => l.tool === 'show' && l.arguments !== undefined)?.arguments);
    // A nested path to Object.prototype is data too.
    const nested =
      '{"constructor": {"prototype": {"polluted": 1}}, "__proto__": {"__proto__": {"polluted": 1}}}';
    const echoed = await client.callTool({
      name: 'raw__toString',
      arguments: JSON.parse(nested) as Record<string, unknown>,
    });
    expect(textOf(echoed)).toBe(JSON.stringify(JSON.parse(nested)));
    expectPrototypeClean();
  });

  it('shows the arguments on the approval card (GET /api/approvals) with __proto__ as a key', async () => {
    const result = client.callTool({ name: 'ev__echo', arguments: customArgs() });
    const card = await pendingApproval('echo');
    try {
      expectCustomArgs(card.arguments);
    } finally {
      await answer(card, 'deny');
      await result;
    }
  });

  it('applies argument rules keyed constructor or prototype to that argument, never to an inherited one', async () => {
    // An argument that Object.prototype has (constructor) is missing unless the client sent it.
    expect(textOf(await client.callTool({ name: 'raw__show', arguments: { message: 'hi' } }))).toBe(
      'Gatehouse denied raw__show: argument "constructor" is missing',
    );
    expect(textOf(await client.callTool({ name: 'raw__show', arguments: { constructor: 'y' } }))).toBe(
      'Gatehouse denied raw__show: argument "constructor" must be one of "x"',
    );
    expect(
      textOf(
        await client.callTool({ name: 'raw__show', arguments: { constructor: 'x', prototype: 'long' } }),
      ),
    ).toBe('Gatehouse denied raw__show: argument "prototype" is longer than 3 characters');
    expectPrototypeClean();
  });

  // zod's records skip a "__proto__" key; policy/plain-keys.ts keeps it a plain key through the schema.
  it('applies an argument rule keyed __proto__ to that argument', async () => {
    const sum = await client.callTool({
      name: 'ev__get-sum',
      arguments: JSON.parse('{"__proto__": {"a": 1}, "a": 1, "b": 2}') as Record<string, unknown>,
    });
    expect(textOf(sum)).toBe('Gatehouse denied ev__get-sum: argument "__proto__" is not allowed');
    expect(sum._meta?.['gatehouse/decision']).toMatchObject({ status: 'invalid_args' });
    expect(textOf(await client.callTool({ name: 'ev__get-sum', arguments: { a: 1, b: 2 } }))).toMatch(/3/);
  });

  it('applies a policy rule keyed constructor or prototype to the tool of that name', async () => {
    const listed = (await client.listTools()).tools.map((t) => t.name);
    expect(listed).toEqual(expect.arrayContaining(['raw__show', 'raw__prototype', 'raw__toString']));
    expect(listed).not.toContain('raw__constructor');
    expect(textOf(await client.callTool({ name: 'raw__constructor', arguments: {} }))).toBe(
      'Gatehouse denied raw__constructor: the constructor tool is switched off',
    );
    // No rule for toString: the default decides, as for any tool.
    expect(JSON.parse(textOf(await client.callTool({ name: 'raw__toString', arguments: { a: 1 } })))).toEqual(
      {
        a: 1,
      },
    );
    // prototype asks a person, and the card names that tool.
    const asked = client.callTool({ name: 'raw__prototype', arguments: { message: 'hi' } });
    const card = await pendingApproval('prototype');
    expect(card).toMatchObject({ exposedName: 'raw__prototype', arguments: { message: 'hi' } });
    await answer(card, 'deny');
    expect(textOf(await asked)).toMatch(/rejected by the user/);
    expectPrototypeClean();
  });

  it('applies a policy rule keyed __proto__ to the tool of that name', async () => {
    expect((await client.listTools()).tools.map((t) => t.name)).not.toContain('raw____proto__');
    expect(textOf(await client.callTool({ name: 'raw____proto__', arguments: {} }))).toBe(
      'Gatehouse denied raw____proto__: the __proto__ tool is switched off',
    );
  });

  it('forwards __proto__ also for a call the SDK schema parses', async () => {
    const result = await client.request(
      { method: 'tools/call', params: { name: 'raw__show', arguments: customArgs(), 'x-extra': 1 } },
      CallToolResultSchema,
    );
    expectCustomArgs(JSON.parse(textOf(result)));
  });

  it('takes a control API body key named __proto__ as data, not as the fields of the input', async () => {
    const asked = client.callTool({ name: 'ev__echo', arguments: { message: 'body' } });
    const card = await pendingApproval('echo');
    try {
      const status = (
        await api(`/approvals/${String(card.id)}`, {
          method: 'POST',
          body: '{"__proto__": {"decision": "deny"}}',
        })
      ).status;
      expect(status).toBe(400);
    } finally {
      await answer(card, 'deny');
      await asked;
    }
  });

  it('remembers an approval for exactly these arguments, __proto__ included', async () => {
    const first = client.callTool({ name: 'ev__echo', arguments: customArgs() });
    const card = await pendingApproval('echo');
    expect(await answer(card, 'approve', { minutes: 5, sameArguments: true })).toBe(200);
    expect(textOf(await first)).toBe('Echo: hi');
    // The same arguments pass without a person; the same without __proto__ are other arguments.
    expect(textOf(await client.callTool({ name: 'ev__echo', arguments: customArgs() }))).toBe('Echo: hi');
    const other = client.callTool({ name: 'ev__echo', arguments: { constructor: 'x', message: 'hi' } });
    const again = await pendingApproval('echo');
    await answer(again, 'deny');
    expect(textOf(await other)).toMatch(/rejected by the user/);
    expectPrototypeClean();
  });
});
