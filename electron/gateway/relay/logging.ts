// Log levels: a session's logging/setLevel goes to every upstream that logs (they are shared by every session, so the
// level applies to their log messages for everyone); the messages themselves are relayed by notifications.ts.
import { SetLevelRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { sessionRoute, type SessionRoute } from '../front/client-session.js';
import { Loose, type RelayContext } from './relay-context.js';

export function loggingRoutes(ctx: RelayContext): [string, SessionRoute][] {
  return [
    [
      'logging/setLevel',
      sessionRoute(SetLevelRequestSchema, async (req, { signal }) => {
        await Promise.all(
          ctx
            .supporting('logging')
            .map((u) =>
              u.client
                .request({ method: 'logging/setLevel', params: req.params }, Loose, { signal })
                .catch(() => undefined),
            ),
        );
        return {};
      }),
    ],
  ];
}
