// Approvals through the control API, for the integration tests: a gateway with server-everything as "ev", a client,
// and the calls a person makes to answer.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { PendingApproval } from '../../shared/api/approvals.js';
import type { Gateway } from '../../electron/gateway/app/gateway.js';
import type { RuntimeInfo } from '../../electron/gateway/home/runtime.js';
import { connectClient, everythingStdio, makeHome, startGateway, type TestHome } from './gateway-fixture.js';

export interface Setup {
  home: TestHome;
  gateway: Gateway;
  runtime: RuntimeInfo;
  client: Client;
}
const open: Setup[] = [];

/** Stops every gateway a test set up (for afterEach). */
export async function closeAll(): Promise<void> {
  for (const s of open.splice(0)) {
    await s.client.close().catch(() => undefined);
    await s.gateway.stop();
    s.home.cleanup();
  }
}

export async function setup(policy: Record<string, unknown>, grants: string[] = ['test']): Promise<Setup> {
  const home = makeHome({
    servers: { ev: everythingStdio() },
    policy: { version: '1', default: 'allow', ...policy },
    grants,
  });
  const { gateway, runtime } = await startGateway(home, ['ev']);
  const client = await connectClient(runtime.mcpUrl, home.tokens[grants[0]!]!);
  const s = { home, gateway, runtime, client };
  open.push(s);
  return s;
}

export const api = async (s: Setup, route: string, method = 'GET', body?: unknown) => {
  const res = await fetch(`${s.runtime.controlUrl}${route}`, {
    method,
    headers: { authorization: `Bearer ${s.runtime.adminToken}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
export const pending = async (s: Setup, count = 1): Promise<PendingApproval[]> => {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { body } = await api(s, '/approvals');
    const list = body.approvals as PendingApproval[];
    if (list.length >= count) return list;
    if (Date.now() > deadline) throw new Error(`expected ${count} pending approvals, saw ${list.length}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};
export const answer = (s: Setup, id: string, body: unknown) => api(s, `/approvals/${id}`, 'POST', body);
export const call = (s: Setup, name: string, args: Record<string, unknown>) =>
  s.client.request({ method: 'tools/call', params: { name, arguments: args } }, CallToolResultSchema, {
    timeout: 120_000,
  });
export const textOf = (r: CallToolResult) => (r.content[0] as { text: string }).text;

/** A client that declares elicitation and answers every question with `answer`, noting each question in `asked`. */
export async function elicitingClient(s: Setup, answer: boolean, asked: string[]) {
  const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
  const { StreamableHTTPClientTransport } =
    await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
  const { ElicitRequestSchema } = await import('@modelcontextprotocol/sdk/types.js');
  const c = new Client({ name: 'eliciting', version: '1' }, { capabilities: { elicitation: {} } });
  c.setRequestHandler(ElicitRequestSchema, (req) => {
    asked.push(req.params.message);
    return { action: 'accept', content: { approve: answer } };
  });
  await c.connect(
    new StreamableHTTPClientTransport(new URL(s.runtime.mcpUrl), {
      requestInit: { headers: { Authorization: `Bearer ${s.home.tokens.test}` } },
    }),
  );
  return c;
}
