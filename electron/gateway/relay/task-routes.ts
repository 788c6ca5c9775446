// The task routes of a client session (the task book is task-book.ts): tasks/get, tasks/result, tasks/list and
// tasks/cancel reach the upstream only for the session's grant's own tasks, under the upstream's id for each.
import {
  CancelTaskRequestSchema,
  CancelTaskResultSchema,
  ErrorCode,
  GetTaskPayloadRequestSchema,
  GetTaskRequestSchema,
  GetTaskResultSchema,
  ListTasksRequestSchema,
  McpError,
  type Task,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ClientSession } from '../front/client-session.js';
import { sessionRoute, type SessionRoute } from '../front/client-session.js';
import type { RequestOptions } from '../rpc/peer.js';
import type { UpstreamClient } from '../upstream/client.js';
import { withRelatedTask, type TaskBook, type TaskEntry } from './task-book.js';
import type { InFlightCall } from './upstream-requests.js';

/** What tasks/result answers: the tool's result, as the upstream sent it. */
const Payload = z.looseObject({});
/** tasks/result waits until the task ends: as long as the task may live, within reason. */
const RESULT_WAIT_MS = 24 * 3_600_000;

export interface TaskDeps {
  book: TaskBook;
  /** The upstream client that holds a task: the shared one, or the creating session's own instance. */
  clientOf: (entry: TaskEntry) => UpstreamClient | undefined;
  /** While tasks/result waits, the upstream's requests for input (elicitation, sampling) go to the waiting session. */
  track: (server: string, call: InFlightCall) => () => void;
}

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

/** tasks/get, tasks/result, tasks/list and tasks/cancel of one client session: its grant's own tasks only. */
export function taskRoutes(session: ClientSession, deps: TaskDeps): [string, SessionRoute][] {
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

  const get = sessionRoute(GetTaskRequestSchema, (req, extra) =>
    current(deps.book.find(session.grant, req.params.taskId), extra.signal),
  );

  const result = sessionRoute(GetTaskPayloadRequestSchema, async (req, extra) => {
    const entry = deps.book.find(session.grant, req.params.taskId);
    if (entry.deciding) await untilDecided(entry.deciding.done, extra.signal);
    if (entry.upstreamId === undefined) return withRelatedTask(entry.settled!.result, entry.id);
    const untrack = deps.track(entry.server, {
      session: session.id,
      grant: session.grant,
      requestId: extra.requestId,
    });
    try {
      const payload = await ask({ ...entry, upstreamId: entry.upstreamId }, 'tasks/result', Payload, {
        signal: extra.signal,
        timeoutMs: RESULT_WAIT_MS,
      });
      const finished = entry.finished;
      entry.finished = undefined;
      finished?.(payload);
      return withRelatedTask(payload as { _meta?: Record<string, unknown> }, entry.id);
    } finally {
      untrack();
    }
  });

  const list = sessionRoute(ListTasksRequestSchema, async (_req, extra) => {
    const tasks = await Promise.all(
      deps.book
        .ofGrant(session.grant)
        .filter((entry) => session.scope === undefined || entry.server === session.scope)
        .map((entry) => current(entry, extra.signal).catch(() => undefined)), // gone upstream: not listed
    );
    return { tasks: tasks.filter((t) => t !== undefined) };
  });

  const cancel = sessionRoute(CancelTaskRequestSchema, async (req, extra) => {
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
  return [
    ['tasks/get', get],
    ['tasks/result', result],
    ['tasks/list', list],
    ['tasks/cancel', cancel],
  ];
}
