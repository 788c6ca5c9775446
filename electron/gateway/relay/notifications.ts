// Upstream notifications reach the sessions that should see them: list changes and log messages everyone (with the
// server named in the logger), resource updates only their subscribers, a task's status only the session that
// created the task (under Gatehouse's id for it). A session's own upstream instance is heard by that session alone.
import type { McpSessions } from '../front/mcp-sessions.js';
import type { SubscriptionBook } from './subscriptions.js';
import { taskStatusFor, type TaskBook } from './task-book.js';

type Notification = { method: string; params?: Record<string, unknown> };

const TASK_STATUS = 'notifications/tasks/status';

/** A notification of a session's own upstream instance (sessionUpstreams). */
export function passOwnNotification(
  sessions: McpSessions,
  tasks: TaskBook,
  session: string,
  server: string,
  notification: Notification,
): void {
  if (notification.method !== TASK_STATUS) return sessions.notify(notification, [session]);
  const routed = taskStatusFor(tasks, server, notification, session);
  if (routed) sessions.notify(routed.notification, [routed.session]);
}

export function passNotification(
  sessions: McpSessions,
  books: { subscriptions: SubscriptionBook; tasks: TaskBook },
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
    case 'notifications/message':
      sessions.notify(
        {
          ...notification,
          params: {
            ...notification.params,
            logger: `${server}${notification.params?.logger ? `/${String(notification.params.logger)}` : ''}`,
          },
        },
        undefined,
        server,
      );
      break;
    default:
      break;
  }
}
