// MCP tasks: a tools/call the client asks to run as a task is decided, logged and forwarded like any other call; the
// task the upstream then creates is known to clients only under an id of Gatehouse's own, bound to the grant that
// created it. tasks/get, tasks/result, tasks/cancel and tasks/list reach the upstream only for that grant's own
// tasks — another grant's task id is "not found", exactly as an unknown one is (an upstream over stdio keeps one task
// list for every client, so this binding is the only one there is). Status notifications go to the creating session.
import {
  ErrorCode,
  McpError,
  RELATED_TASK_META_KEY,
  type CallToolResult,
  type CreateTaskResult,
  type Task,
} from '@modelcontextprotocol/sdk/types.js';
import { firstText } from '../calls/tool-call.js';

/** How long a task without a ttl is kept, and how long after its ttl (the upstream's clock may differ a little). */
const KEEP_WITHOUT_TTL_MS = 24 * 3_600_000;
const TTL_GRACE_MS = 60_000;
/** The most tasks kept at once; the oldest goes first. */
const MAX_TASKS = 10_000;

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
export function withRelatedTask<T extends { _meta?: Record<string, unknown> }>(result: T, id: string): T {
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
