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
import { firstText } from '../calls/tool-call.js';
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
  /** While Gatehouse decides (a person may have to approve): the task as clients see it meanwhile. */
  deciding?: { task: Task; done: Promise<void>; release: () => void; cancel: AbortController };
  /** The upstream's id, once the upstream has created the task. */
  upstreamId?: string;
  /** A task that ended without reaching an upstream task (refused, cancelled, or an upstream without tasks). */
  settled?: { task: Task; result: CallToolResult };
  keepUntil: number;
  /** Told of the task's result the first time a client fetches it: the call record gets its outcome. */
  finished?: (result: Record<string, unknown>) => void;
}

const DECIDING = 'Gatehouse is deciding on this call (a person may have to approve it)';

export class TaskBook {
  private readonly byId = new Map<string, TaskEntry>();

  constructor(
    private readonly clock: () => number,
    private readonly newId: () => string,
  ) {}

  /**
   * A call the client asked to run as a task: answered at once with a task of Gatehouse's, `working` while the call
   * is decided — a person may take a while to approve it — then followed by the upstream's task (`attach`) or
   * ended by the call's own result (`settle`). `signal` aborts the decision when the client cancels the task.
   */
  hold(
    owner: TaskOwner,
    requested: Record<string, unknown>,
  ): { created: CreateTaskResult; id: string; signal: AbortSignal } {
    const now = this.clock();
    this.sweep(now);
    const at = new Date(now).toISOString();
    const ttl = typeof requested.ttl === 'number' ? requested.ttl : null;
    const task: Task = {
      taskId: this.newId(),
      status: 'working',
      ttl,
      createdAt: at,
      lastUpdatedAt: at,
      statusMessage: DECIDING,
    };
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const cancel = new AbortController();
    const entry: TaskEntry = {
      ...owner,
      id: task.taskId,
      deciding: { task, done, release, cancel },
      keepUntil: keepUntil(now, ttl),
    };
    this.keep(entry);
    return { created: { task }, id: entry.id, signal: cancel.signal };
  }

  /** The upstream created the task for a held call: clients follow it under the held task's id from now on. */
  attach(
    id: string,
    created: CreateTaskResult,
    finished?: (result: Record<string, unknown>) => void,
  ): CreateTaskResult {
    const entry = this.byId.get(id);
    if (entry) {
      entry.upstreamId = created.task.taskId;
      entry.keepUntil = keepUntil(this.clock(), created.task.ttl);
      if (finished) entry.finished = finished;
      this.decided(entry);
    }
    return withRelatedTask({ ...created, task: { ...created.task, taskId: id } }, id);
  }

  /**
   * A held call ended without an upstream task: refused by the policy (the denial is the task's result, so the
   * client reads it exactly as it would without a task), cancelled while it was decided, or run by an upstream that
   * does not do tasks. The task is over: `cancelled`, `failed` for an error result, else `completed`.
   */
  settle(id: string, result: CallToolResult): void {
    const entry = this.byId.get(id);
    if (!entry || entry.upstreamId !== undefined || entry.settled) return;
    const at = new Date(this.clock()).toISOString();
    const cancelled = entry.deciding?.cancel.signal.aborted === true;
    const task: Task = {
      ...(entry.deciding?.task ?? { taskId: id, ttl: null, createdAt: at }),
      status: cancelled ? 'cancelled' : result.isError ? 'failed' : 'completed',
      lastUpdatedAt: at,
    };
    delete task.statusMessage;
    if (cancelled) task.statusMessage = 'cancelled by the client before it was run';
    else if (result.isError) task.statusMessage = firstText(result) ?? 'the call failed';
    entry.settled = { task, result };
    this.decided(entry);
  }

  /** Cancels a task still being decided; resolves once it has settled. */
  async cancelDeciding(entry: TaskEntry): Promise<void> {
    entry.deciding?.cancel.abort(new Error('the client cancelled the task'));
    await entry.deciding?.done;
  }

  /** Whoever waits for the decision (tasks/result, tasks/cancel) goes on. */
  private decided(entry: TaskEntry): void {
    entry.deciding?.release();
    delete entry.deciding;
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
/** Waits until a held task is decided, or the client gives up waiting. */
function untilDecided(done: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    void done.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

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
    if (entry.deciding) return entry.deciding.task;
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
    if (entry.deciding) await untilDecided(entry.deciding.done, extra.signal);
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
      deps.book
        .ofGrant(session.grant)
        .filter((entry) => session.scope === undefined || entry.server === session.scope)
        .map((entry) => current(entry, extra.signal).catch(() => undefined)), // gone upstream: not listed
    );
    return { tasks: tasks.filter((t) => t !== undefined) };
  });

  server.setRequestHandler(CancelTaskRequestSchema, async (req, extra) => {
    const entry = deps.book.find(session.grant, req.params.taskId);
    if (entry.deciding) {
      // Still being decided (a person may be asked): the call is never run.
      await deps.book.cancelDeciding(entry);
      if (entry.settled?.task.status === 'cancelled') return entry.settled.task;
    }
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
