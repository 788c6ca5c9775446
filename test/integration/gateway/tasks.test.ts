// MCP tasks through the gateway with server-everything's `simulate-research-query` (a tool that runs only as a task):
// the call is decided and logged like any other, the task is known under Gatehouse's own id, and only the grant that
// created it can see, read, list or cancel it.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  CallToolResultSchema,
  CancelTaskResultSchema,
  CreateTaskResultSchema,
  ElicitRequestSchema,
  GetTaskResultSchema,
  ListTasksResultSchema,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { readAllRecords } from '../../../electron/gateway/log/reader.js';
import { connectClient, makeHome, openedGateways, startGateway } from '../../helpers/gateway-fixture.js';
import { everythingStdio } from '../../helpers/upstreams.js';

const opened = openedGateways();
afterEach(() => opened.closeAll());

const RESEARCH = 'ev__simulate-research-query';

async function setup(policy?: unknown) {
  const home = makeHome({
    servers: { ev: everythingStdio() },
    grants: ['a', 'b'],
    ...(policy ? { policy } : {}),
  });
  const { gateway, runtime } = await startGateway(home, ['ev']);
  const a = await connectClient(runtime.mcpUrl, home.tokens.a!);
  const b = await connectClient(runtime.mcpUrl, home.tokens.b!);
  const tracked = opened.track(home, gateway, a, b);
  return { home, gateway, a, b, tracked };
}

const startTask = (client: Client, name = RESEARCH) =>
  client.request(
    {
      method: 'tools/call',
      params: { name, arguments: { topic: 'gates' }, task: { ttl: 60_000 } },
    },
    CreateTaskResultSchema,
  );

const getTask = (client: Client, taskId: string) =>
  client.request({ method: 'tasks/get', params: { taskId } }, GetTaskResultSchema);

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(McpError);
    return (err as McpError).message;
  }
  throw new Error('expected a JSON-RPC error');
}

describe('MCP tasks through the gateway', () => {
  it('advertises tasks and runs a tool as a task: get, result, list — under an id of its own', async () => {
    const { home, a } = await setup();
    expect(a.getServerCapabilities()?.tasks?.requests?.tools?.call).toBeDefined();
    const listed = (await a.listTools()).tools.find((t) => t.name === RESEARCH);
    expect(listed?.execution?.taskSupport).toBe('required');

    const created = await startTask(a);
    const id = created.task.taskId;
    expect(['working', 'input_required']).toContain(created.task.status);

    const got = await getTask(a, id);
    expect(got.taskId).toBe(id);
    const listedTasks = await a.request({ method: 'tasks/list', params: {} }, ListTasksResultSchema);
    expect(listedTasks.tasks.map((t) => t.taskId)).toEqual([id]);

    // tasks/result waits until the task ends (four stages of a second each), then gives the tool's result.
    const result = await a.request(
      { method: 'tasks/result', params: { taskId: id } },
      CallToolResultSchema.extend({ _meta: z.looseObject({}).optional() }),
      { timeout: 30_000 },
    );
    expect(JSON.stringify(result.content)).toContain('Research Report: gates');
    const related = result._meta?.['io.modelcontextprotocol/related-task'] as { taskId?: string } | undefined;
    if (related) expect(related.taskId).toBe(id);
    expect((await getTask(a, id)).status).toBe('completed');

    // The call record: decided and forwarded like any call, then the outcome once the result was fetched.
    const [record] = readAllRecords(path.join(home.home, 'logs')).records.filter(
      (r) => r.exposedName === RESEARCH,
    );
    expect(record).toMatchObject({ grant: 'a', decision: 'allow', status: 'ok' });
    expect(record?.resultPreview).toContain('Research Report: gates');
  }, 40_000);

  it("sends the upstream's question of an input_required task to the client waiting on tasks/result", async () => {
    const { home, gateway, tracked } = await setup();
    const runtime = gateway.runtime!;
    const asking = new Client({ name: 'asks', version: '1' }, { capabilities: { elicitation: {} } });
    const questions: string[] = [];
    asking.setRequestHandler(ElicitRequestSchema, (req) => {
      questions.push(req.params.message);
      return { action: 'accept', content: { interpretation: 'technical' } };
    });
    await asking.connect(
      new StreamableHTTPClientTransport(new URL(runtime.mcpUrl), {
        requestInit: { headers: { Authorization: `Bearer ${home.tokens.a!}` } },
      }),
    );
    tracked.clients.push(asking);
    const created = await asking.request(
      {
        method: 'tools/call',
        params: { name: RESEARCH, arguments: { topic: 'gates', ambiguous: true }, task: { ttl: 60_000 } },
      },
      CreateTaskResultSchema,
    );
    const result = await asking.request(
      { method: 'tasks/result', params: { taskId: created.task.taskId } },
      CallToolResultSchema,
      { timeout: 30_000 },
    );
    expect(questions).toHaveLength(1);
    expect(questions[0]).toContain('"gates" could have multiple interpretations');
    expect(JSON.stringify(result.content)).toContain('Clarification');
  }, 40_000);

  it('binds a task to the grant that created it: another grant gets "not found" for every method', async () => {
    const { a, b } = await setup();
    const id = (await startTask(a)).task.taskId;
    for (const method of ['tasks/get', 'tasks/result', 'tasks/cancel']) {
      const message = await refusal(b.request({ method, params: { taskId: id } }, z.looseObject({})));
      expect(message).toContain(`Task not found: ${id}`);
    }
    const listedByB = await b.request({ method: 'tasks/list', params: {} }, ListTasksResultSchema);
    expect(listedByB.tasks).toEqual([]);
    // An id the upstream itself uses is not one Gatehouse hands out: unknown for everyone.
    expect(await refusal(getTask(a, 'no-such-task'))).toContain('Task not found: no-such-task');
    // The owner still can, and cancels it.
    const cancelled = await a.request(
      { method: 'tasks/cancel', params: { taskId: id } },
      CancelTaskResultSchema,
    );
    expect(cancelled).toMatchObject({ taskId: id, status: 'cancelled' });
  }, 30_000);

  it('decides a task-augmented call like any other: a denied call is a failed task whose result is the denial', async () => {
    const { home, a } = await setup({
      version: '1',
      default: 'allow',
      tools: { 'simulate-research-query': { action: 'deny', reason: 'research is off' } },
    });
    const created = await startTask(a);
    const id = created.task.taskId;
    expect(created.task.status).toBe('working'); // answered at once; the decision follows behind it
    const result = await a.request({ method: 'tasks/result', params: { taskId: id } }, CallToolResultSchema);
    expect(result.isError).toBe(true);
    expect(result._meta?.['gatehouse/decision']).toMatchObject({ decision: 'deny', status: 'denied' });
    expect(await getTask(a, id)).toMatchObject({
      status: 'failed',
      statusMessage: expect.stringContaining('research is off') as unknown,
    });
    expect(
      await refusal(a.request({ method: 'tasks/cancel', params: { taskId: id } }, z.looseObject({}))),
    ).toContain('terminal status: failed');
    // The upstream never saw it: the only task is Gatehouse's own.
    const listed = await a.request({ method: 'tasks/list', params: {} }, ListTasksResultSchema);
    expect(listed.tasks.map((t) => [t.taskId, t.status])).toEqual([[id, 'failed']]);
    const records = readAllRecords(path.join(home.home, 'logs')).records.filter(
      (r) => r.exposedName === RESEARCH,
    );
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ decision: 'deny', status: 'denied' });
  }, 30_000);

  it('answers a call that needs approval with a working task at once, and runs it once a person approves', async () => {
    const { gateway, a } = await setup({
      version: '1',
      default: 'allow',
      tools: { 'simulate-research-query': { action: 'approve' } },
    });
    const runtime = gateway.runtime!;
    const api = (route: string, init: RequestInit = {}) =>
      fetch(`${runtime.controlUrl}${route}`, {
        ...init,
        headers: { authorization: `Bearer ${runtime.adminToken}`, 'content-type': 'application/json' },
      });
    const started = Date.now();
    const created = await startTask(a);
    expect(Date.now() - started).toBeLessThan(2000); // not held until someone answers
    const id = created.task.taskId;
    expect(await getTask(a, id)).toMatchObject({
      status: 'working',
      statusMessage: expect.stringContaining('approve') as unknown,
    });
    const result = a.request({ method: 'tasks/result', params: { taskId: id } }, CallToolResultSchema, {
      timeout: 30_000,
    });
    const { approvals } = (await (await api('/approvals')).json()) as {
      approvals: { id: string; tool: string }[];
    };
    expect(approvals.map((x) => x.tool)).toEqual(['simulate-research-query']);
    expect(
      (
        await api(`/approvals/${approvals[0]!.id}`, {
          method: 'POST',
          body: JSON.stringify({ decision: 'approve' }),
        })
      ).status,
    ).toBe(200);
    expect(JSON.stringify((await result).content)).toContain('Research Report: gates');
    expect((await getTask(a, id)).status).toBe('completed');
  }, 40_000);

  it('cancels a task still waiting for approval: the call is never run', async () => {
    const { home, gateway, a } = await setup({
      version: '1',
      default: 'allow',
      tools: { 'simulate-research-query': { action: 'approve' } },
    });
    const runtime = gateway.runtime!;
    const pending = async () =>
      (
        (await (
          await fetch(`${runtime.controlUrl}/approvals`, {
            headers: { authorization: `Bearer ${runtime.adminToken}` },
          })
        ).json()) as { approvals: unknown[] }
      ).approvals.length;
    const id = (await startTask(a)).task.taskId;
    for (let i = 0; i < 50 && (await pending()) === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await pending()).toBe(1);
    const cancelled = await a.request(
      { method: 'tasks/cancel', params: { taskId: id } },
      CancelTaskResultSchema,
    );
    expect(cancelled).toMatchObject({ taskId: id, status: 'cancelled' });
    expect(await getTask(a, id)).toMatchObject({ status: 'cancelled' });
    const [record] = readAllRecords(path.join(home.home, 'logs')).records.filter(
      (r) => r.exposedName === RESEARCH,
    );
    expect(record).toMatchObject({ decision: 'approve', status: 'error' });
    expect(record?.error).toContain('cancelled');
  }, 30_000);
});
