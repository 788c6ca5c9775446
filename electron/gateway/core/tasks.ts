// MCP tasks: a tools/call the client asks to run as a task is decided, logged and forwarded like any other call; the
// task the upstream then creates is known to clients only under an id of Gatehouse's own, bound to the grant that
// created it. tasks/get, tasks/result, tasks/cancel and tasks/list reach the upstream only for that grant's own
// tasks — another grant's task id is "not found", exactly as an unknown one is (an upstream over stdio keeps one task
// list for every client, so this binding is the only one there is). Status notifications go to the creating session.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  CancelTaskRequestSchema,
  CancelTaskResultSchema,
  ErrorCode,
  GetTaskPayloadRequestSchema,
  GetTaskRequestSchema,
  GetTaskResultSchema,
  ListTasksRequestSchema,
  McpError,
  RELATED_TASK_META_KEY,
  type CallToolResult,
  type CreateTaskResult,
  type Task,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { SessionRef } from '../front/mcp-sessions.js';
import type { InFlightCall } from './upstream-requests.js';

/** What tasks/result answers: the tool's result, as the upstream sent it. */
const Payload = z.looseObject({});

/** How long a task without a ttl is kept, and how long after its ttl (the upstream's clock may differ a little). */
const KEEP_WITHOUT_TTL_MS = 24 * 3_600_000;
const TTL_GRACE_MS = 60_000;
/** The most tasks kept at once; the oldest goes first. */
const MAX_TASKS = 10_000;
/** tasks/result waits until the task ends: as long as the task may live, within reason. */
const RESULT_WAIT_MS = 24 * 3_600_000;

export interface TaskOwner {
  grant: string;
  session: string;
  server: string;
}

export interface TaskEntry extends TaskOwner {
  id: string;
  /** The upstream's id; absent for a task Gatehouse settled itself (a refused call, or an upstream without tasks). */
  upstreamId?: string;
  /** A settled task's state and result, kept here: no upstream knows of it. */
  settled?: { task: Task; result: CallToolResult };
  keepUntil: number;
  /** Told of the task's result the first time a client fetches it: the call record gets its outcome. */
  finished?: (result: Record<string, unknown>) => void;
}

export class TaskBook {
  private readonly byId = new Map<string, TaskEntry>();

  constructor(
    private readonly clock: () => number,
    private readonly newId: () => string,
  ) {}

  /** Takes in a task an upstream created for a call; the client gets it under Gatehouse's own id. */
  adopt(
    owner: TaskOwner,
    created: CreateTaskResult,
    finished?: (result: Record<string, unknown>) => void,
  ): CreateTaskResult {
    const now = this.clock();
    this.sweep(now);
    const id = this.newId();
    this.keep({
      ...owner,
      id,
      upstreamId: created.task.taskId,
      keepUntil: keepUntil(now, created.task.ttl),
      ...(finished ? { finished } : {}),
    });
    return withRelatedTask({ ...created, task: { ...created.task, taskId: id } }, id);
  }

  /**
   * A call the client asked to run as a task, answered without one: refused by the policy (the denial is the task's
   * result, so the client reads it exactly as it would without a task) or run by an upstream that does not do tasks.
   * The task is already over: `failed` for an error result, else `completed`.
   */
  settle(owner: TaskOwner, result: CallToolResult, requested: Record<string, unknown>): CreateTaskResult {
    const now = this.clock();
    this.sweep(now);
    const at = new Date(now).toISOString();
    const ttl = typeof requested.ttl === 'number' ? requested.ttl : null;
    const task: Task = {
      taskId: this.newId(),
      status: result.isError ? 'failed' : 'completed',
      ttl,
      createdAt: at,
      lastUpdatedAt: at,
      ...(result.isError ? { statusMessage: firstText(result) ?? 'the call failed' } : {}),
    };
    this.keep({ ...owner, id: task.taskId, settled: { task, result }, keepUntil: keepUntil(now, ttl) });
    return { task };
  }

  /** A task of this grant; another grant's task is not found, exactly as an unknown id is. */
  find(grant: string, id: string): TaskEntry {
    this.sweep(this.clock());
    const entry = this.byId.get(id);
    if (!entry || entry.grant !== grant) throw new McpError(ErrorCode.InvalidParams, `Task not found: ${id}`);
    return entry;
  }

  ofGrant(grant: string): TaskEntry[] {
    this.sweep(this.clock());
    return [...this.byId.values()].filter((e) => e.grant === grant);
  }

  private keep(entry: TaskEntry): void {
    this.byId.set(entry.id, entry);
    while (this.byId.size > MAX_TASKS) this.byId.delete(this.byId.keys().next().value!);
  }

  /** The task an upstream's own id stands for (a status notification); for a session's own instance, that session's. */
  byUpstream(server: string, upstreamId: string, session?: string): TaskEntry | undefined {
    for (const entry of this.byId.values()) {
      if (entry.server === server && entry.upstreamId === upstreamId) {
        if (session === undefined || entry.session === session) return entry;
      }
    }
    return undefined;
  }

  private sweep(now: number): void {
    for (const [id, entry] of this.byId) if (entry.keepUntil < now) this.byId.delete(id);
  }
}

const keepUntil = (now: number, ttl: number | null | undefined) =>
  now + (typeof ttl === 'number' ? ttl + TTL_GRACE_MS : KEEP_WITHOUT_TTL_MS);

function firstText(result: CallToolResult): string | undefined {
  const block = result.content.find((c) => c.type === 'text');
  return block?.type === 'text' ? block.text : undefined;
}

/** The result with its related-task metadata (if any) naming Gatehouse's id instead of the upstream's. */
function withRelatedTask<T extends { _meta?: Record<string, unknown> }>(result: T, id: string): T {
  if (result._meta?.[RELATED_TASK_META_KEY] === undefined) return result;
  return { ...result, _meta: { ...result._meta, [RELATED_TASK_META_KEY]: { taskId: id } } };
}

/**
 * A `notifications/tasks/status` of an upstream, for the session that created the task and under Gatehouse's id;
 * undefined when the task is not one Gatehouse handed out (then nobody hears of it).
 */
export function taskStatusFor(
  book: TaskBook,
  server: string,
  notification: { method: string; params?: Record<string, unknown> },
  session?: string,
): { session: string; notification: { method: string; params: Record<string, unknown> } } | undefined {
  const upstreamId = notification.params?.taskId;
  if (typeof upstreamId !== 'string') return undefined;
  const entry = book.byUpstream(server, upstreamId, session);
  if (!entry) return undefined;
  return {
    session: entry.session,
    notification: { method: notification.method, params: { ...notification.params, taskId: entry.id } },
  };
}

export interface TaskDeps {
  book: TaskBook;
  /** The upstream client that holds a task: the shared one, or the creating session's own instance. */
  clientOf: (entry: TaskEntry) => Client | undefined;
  /** While tasks/result waits, the upstream's requests for input (elicitation, sampling) go to the waiting session. */
  track: (server: string, call: InFlightCall) => () => void;
}

/** Registers tasks/get, tasks/result, tasks/list and tasks/cancel on one client session's Server. */
export function registerTasks(server: Server, session: SessionRef, deps: TaskDeps): void {
  /** Asks the upstream that runs the task, under its own id for it. */
  const ask = <S extends z.ZodType>(
    entry: TaskEntry & { upstreamId: string },
    method: string,
    schema: S,
    options: RequestOptions,
  ): Promise<z.output<S>> => {
    const client = deps.clientOf(entry);
    if (!client) {
      throw new McpError(
        ErrorCode.InternalError,
        `upstream "${entry.server}" that runs task ${entry.id} is not connected (it is restarting, or it was the ended session's own instance); if it restarted, the task is gone with it`,
      );
    }
    return client.request({ method, params: { taskId: entry.upstreamId } }, schema, options);
  };
  const current = async (entry: TaskEntry, signal: AbortSignal): Promise<Task> => {
    if (entry.upstreamId === undefined) return entry.settled!.task;
    const task = await ask({ ...entry, upstreamId: entry.upstreamId }, 'tasks/get', GetTaskResultSchema, {
      signal,
    });
    return { ...task, taskId: entry.id };
  };

  server.setRequestHandler(GetTaskRequestSchema, async (req, extra) =>
    current(deps.book.find(session.grant, req.params.taskId), extra.signal),
  );

  server.setRequestHandler(GetTaskPayloadRequestSchema, async (req, extra) => {
    const entry = deps.book.find(session.grant, req.params.taskId);
    if (entry.upstreamId === undefined) return withRelatedTask(entry.settled!.result, entry.id);
    const untrack = deps.track(entry.server, {
      session: session.id(),
      grant: session.grant,
      requestId: extra.requestId,
    });
    try {
      const result = await ask({ ...entry, upstreamId: entry.upstreamId }, 'tasks/result', Payload, {
        signal: extra.signal,
        timeout: RESULT_WAIT_MS,
      });
      const finished = entry.finished;
      entry.finished = undefined;
      finished?.(result);
      return withRelatedTask(result as { _meta?: Record<string, unknown> }, entry.id);
    } finally {
      untrack();
    }
  });

  server.setRequestHandler(ListTasksRequestSchema, async (_req, extra) => {
    const tasks = await Promise.all(
      deps.book.ofGrant(session.grant).map((entry) => current(entry, extra.signal).catch(() => undefined)), // gone upstream: not listed
    );
    return { tasks: tasks.filter((t) => t !== undefined) };
  });

  server.setRequestHandler(CancelTaskRequestSchema, async (req, extra) => {
    const entry = deps.book.find(session.grant, req.params.taskId);
    if (entry.upstreamId === undefined) {
      throw new McpError(
        ErrorCode.InvalidParams,
        `Cannot cancel task in terminal status: ${entry.settled!.task.status}`,
      );
    }
    const task = await ask(
      { ...entry, upstreamId: entry.upstreamId },
      'tasks/cancel',
      CancelTaskResultSchema,
      {
        signal: extra.signal,
      },
    );
    return { ...task, taskId: entry.id };
  });
}
