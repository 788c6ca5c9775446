// Upstream notifications reach the sessions that should see them: list changes everyone, log messages the sessions
// whose grant may use that server (with the server named in the logger), resource updates only their subscribers, a
// task's status only the session that created the task (under Gatehouse's id for it). A session's own upstream
// instance is heard by that session alone.
import type { McpSessions } from '../front/mcp-sessions.js';
import type { NameTable } from '../names/name-table.js';
import type { CompiledPolicy } from '../policy/compile.js';
import { decideCapability, effectiveToolAction } from '../policy/decide.js';
import type { SubscriptionBook } from './subscriptions.js';
import { taskStatusFor, type TaskBook } from './task-book.js';

type Notification = { method: string; params?: Record<string, unknown> };

const TASK_STATUS = 'notifications/tasks/status';
const LOG_MESSAGE = 'notifications/message';

interface Listener {
  grant: string;
  /** A session narrowed to one server hears no other. */
  scope: string | undefined;
}

/**
 * Who hears a server's log messages: a session whose grant may use that server — its tools/list shows one of the
 * server's tools, or its resources or prompts lists may show the server's (their action is not deny). A server's
 * logs can tell of every call made to it, so a grant the policy keeps away from a server does not hear them; the
 * scope alone does not let a session in (any client may ask for any scope). Verdicts are kept per (grant, server)
 * until the policy or the name table is replaced.
 */
export class LogAudience {
  private readonly listeners = new Map<string, Listener>();
  private verdicts = new Map<string, boolean>();
  private basis: { policy: CompiledPolicy; names: NameTable } | undefined;

  constructor(private readonly deps: { policy: () => CompiledPolicy; names: () => NameTable }) {}

  join(session: { id: string; grant: string; scope: string | undefined }): void {
    this.listeners.set(session.id, { grant: session.grant, scope: session.scope });
  }

  leave(sessionId: string): void {
    this.listeners.delete(sessionId);
  }

  /** The sessions that hear `server`'s log messages. */
  of(server: string): string[] {
    const ids: string[] = [];
    for (const [id, listener] of this.listeners) if (this.allows(listener, server)) ids.push(id);
    return ids;
  }

  hears(sessionId: string, server: string): boolean {
    const listener = this.listeners.get(sessionId);
    return listener !== undefined && this.allows(listener, server);
  }

  private allows(listener: Listener, server: string): boolean {
    if (listener.scope !== undefined && listener.scope !== server) return false;
    const policy = this.deps.policy();
    const names = this.deps.names();
    if (this.basis?.policy !== policy || this.basis.names !== names) {
      this.basis = { policy, names };
      this.verdicts = new Map();
    }
    const key = `${listener.grant}\u0000${server}`;
    let verdict = this.verdicts.get(key);
    if (verdict === undefined) {
      verdict = mayUse(policy, names, listener.grant, server);
      this.verdicts.set(key, verdict);
    }
    return verdict;
  }
}

function mayUse(policy: CompiledPolicy, names: NameTable, grant: string, server: string): boolean {
  for (const entry of names.entries()) {
    if (entry.server === server && effectiveToolAction(grant, server, entry.tool, policy) !== 'deny')
      return true;
  }
  return (['resources', 'prompts'] as const).some(
    (capability) => decideCapability(server, capability, grant, policy).action !== 'deny',
  );
}

/** A log message as clients get it: the server named in the logger. */
function namedLogMessage(server: string, notification: Notification): Notification {
  const logger = notification.params?.logger;
  return {
    ...notification,
    params: { ...notification.params, logger: `${server}${logger ? `/${String(logger)}` : ''}` },
  };
}

/** A notification of a session's own upstream instance (sessionUpstreams). */
export function passOwnNotification(
  sessions: McpSessions,
  tasks: TaskBook,
  session: string,
  server: string,
  notification: Notification,
  audience: LogAudience,
): void {
  if (notification.method === LOG_MESSAGE) {
    if (audience.hears(session, server)) {
      sessions.notify(namedLogMessage(server, notification), [session]);
    }
    return;
  }
  if (notification.method !== TASK_STATUS) return sessions.notify(notification, [session]);
  const routed = taskStatusFor(tasks, server, notification, session);
  if (routed) sessions.notify(routed.notification, [routed.session]);
}

export function passNotification(
  sessions: McpSessions,
  books: { subscriptions: SubscriptionBook; tasks: TaskBook; audience: LogAudience },
  server: string,
  notification: Notification,
): void {
  switch (notification.method) {
    case 'notifications/resources/list_changed':
    case 'notifications/prompts/list_changed':
      sessions.notify(notification, undefined, server);
      break;
    case 'notifications/resources/updated': {
      const uri = notification.params?.uri;
      if (typeof uri === 'string') sessions.notify(notification, books.subscriptions.listeners(uri));
      break;
    }
    case TASK_STATUS: {
      const routed = taskStatusFor(books.tasks, server, notification);
      if (routed) sessions.notify(routed.notification, [routed.session]);
      break;
    }
    case LOG_MESSAGE:
      sessions.notify(namedLogMessage(server, notification), books.audience.of(server), server);
      break;
    default:
      break;
  }
}
