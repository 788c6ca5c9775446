// Upstream notifications reach the sessions that should see them: list changes and log messages everyone (with the
// server named in the logger), resource updates only their subscribers.
import type { McpSessions } from '../front/mcp-sessions.js';
import type { SubscriptionBook } from './passthrough.js';

export function passNotification(
  sessions: McpSessions,
  subscriptions: SubscriptionBook,
  server: string,
  notification: { method: string; params?: Record<string, unknown> },
): void {
  switch (notification.method) {
    case 'notifications/resources/list_changed':
    case 'notifications/prompts/list_changed':
      sessions.notify(notification);
      break;
    case 'notifications/resources/updated': {
      const uri = notification.params?.uri;
      if (typeof uri === 'string') sessions.notify(notification, subscriptions.listeners(uri));
      break;
    }
    case 'notifications/message':
      sessions.notify({
        ...notification,
        params: {
          ...notification.params,
          logger: `${server}${notification.params?.logger ? `/${String(notification.params.logger)}` : ''}`,
        },
      });
      break;
    default:
      break;
  }
}
