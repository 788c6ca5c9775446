// The rest of the protocol through the gateway, under the policy: resources, prompts, completion, logging,
// sampling and elicitation routed to the calling client, and capabilities denied per server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  CallToolResultSchema,
  CreateMessageRequestSchema,
  ElicitRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { Gateway } from '../../../electron/gateway/app/gateway.js';
import type { RuntimeInfo } from '../../../electron/gateway/home/runtime.js';
import { everythingStdio, makeHome, startGateway, type TestHome } from '../../helpers/gateway-fixture.js';
import { expectEverythingPrompts } from '../../helpers/upstreams.js';

async function client(runtime: RuntimeInfo, token: string, withCallbacks = false) {
  const c = new Client(
    { name: 'caps-test', version: '1' },
    { capabilities: withCallbacks ? { sampling: {}, elicitation: {} } : {} },
  );
  if (withCallbacks) {
    c.setRequestHandler(CreateMessageRequestSchema, () => ({
      role: 'assistant',
      content: { type: 'text', text: 'sampled by the calling client' },
      model: 'test-model',
    }));
    c.setRequestHandler(ElicitRequestSchema, () => ({ action: 'accept', content: { color: 'blue' } }));
  }
  await c.connect(
    new StreamableHTTPClientTransport(new URL(runtime.mcpUrl), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
  return c;
}

describe('other capabilities through the gateway', () => {
  let home: TestHome;
  let gateway: Gateway;
  let runtime: RuntimeInfo;
  let allowed: Client;
  let restricted: Client;

  beforeAll(async () => {
    home = makeHome({
      servers: { ev: everythingStdio() },
      grants: ['open', 'closed'],
      policy: {
        version: '1',
        default: 'allow',
        grants: {
          closed: {
            servers: { ev: { resources: 'deny', prompts: 'deny', completion: 'deny', sampling: 'deny' } },
          },
        },
      },
    });
    ({ gateway, runtime } = await startGateway(home, ['ev']));
    allowed = await client(runtime, home.tokens.open!, true);
    restricted = await client(runtime, home.tokens.closed!, true);
  });
  afterAll(async () => {
    await allowed?.close();
    await restricted?.close();
    await gateway?.stop();
    home?.cleanup();
  });

  it('lists and reads resources and templates', async () => {
    const { resources } = await allowed.listResources();
    expect(resources.length).toBeGreaterThan(0);
    const first = resources[0]!;
    const read = await allowed.readResource({ uri: first.uri });
    expect(read.contents[0]!.uri).toBe(first.uri);
    const { resourceTemplates } = await allowed.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toContain(
      'demo://resource/dynamic/text/{resourceId}',
    );
    const dynamic = await allowed.readResource({ uri: 'demo://resource/dynamic/text/1' });
    expect(dynamic.contents.length).toBe(1);
    await allowed.subscribeResource({ uri: first.uri });
    await allowed.unsubscribeResource({ uri: first.uri });
  });

  it('lists prompts under exposed names, gets one by that name, and completes an argument', async () => {
    const { prompts } = await allowed.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(
      expect.arrayContaining(['ev__simple-prompt', 'ev__args-prompt']),
    );
    await expectEverythingPrompts(allowed, 'ev__');
    await expect(allowed.getPrompt({ name: 'simple-prompt' })).rejects.toMatchObject({ code: -32602 });
  });

  it('sets the logging level', async () => {
    await expect(allowed.setLoggingLevel('info')).resolves.toBeDefined();
  });

  it('refuses each capability the policy denies for a grant, and hides them from its lists', async () => {
    expect((await restricted.listResources()).resources).toEqual([]);
    expect((await restricted.listPrompts()).prompts).toEqual([]);
    await expect(restricted.readResource({ uri: 'demo://resource/dynamic/text/1' })).rejects.toThrow(
      /Gatehouse denied resources\/read demo:\/\/resource\/dynamic\/text\/1: the resources of server "ev" are denied by the policy/,
    );
    await expect(restricted.getPrompt({ name: 'ev__simple-prompt' })).rejects.toThrow(
      /Gatehouse denied prompts\/get/,
    );
    await expect(
      restricted.complete({
        ref: { type: 'ref/prompt', name: 'ev__completable-prompt' },
        argument: { name: 'department', value: 'E' },
      }),
    ).rejects.toThrow(/Gatehouse denied completion\/complete/);
  });

  it('sends a sampling request from the upstream to exactly the client whose call caused it', async () => {
    const result = await allowed.request(
      {
        method: 'tools/call',
        params: { name: 'ev__trigger-sampling-request', arguments: { prompt: 'hi', maxTokens: 10 } },
      },
      CallToolResultSchema,
    );
    expect(JSON.stringify(result.content)).toContain('sampled by the calling client');
  });

  it('refuses the sampling request of a grant whose policy denies sampling', async () => {
    const result = await restricted.request(
      {
        method: 'tools/call',
        params: { name: 'ev__trigger-sampling-request', arguments: { prompt: 'hi', maxTokens: 10 } },
      },
      CallToolResultSchema,
    );
    expect(JSON.stringify(result)).not.toContain('sampled by the calling client');
    expect(JSON.stringify(result)).toMatch(/denied|error/i);
  });

  it('sends an elicitation request to the calling client', async () => {
    const result = await allowed.request(
      { method: 'tools/call', params: { name: 'ev__trigger-elicitation-request', arguments: {} } },
      CallToolResultSchema,
    );
    expect(JSON.stringify(result.content)).toContain('blue');
  });

  it('answers a method outside the spec with -32601', async () => {
    await expect(
      allowed.request({ method: 'gatehouse/not-a-method', params: {} }, CallToolResultSchema),
    ).rejects.toMatchObject({
      code: -32601,
    });
  });
});
