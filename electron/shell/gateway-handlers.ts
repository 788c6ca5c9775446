// The control handlers the IPC adapter serves, for the gateway this process runs. Gateway (app/gateway.ts) builds its
// handlers (createControlHandlers over its parts) but does not hand them out, and that file is the core's: until it
// does, the shell reaches those same handlers through the gateway's own control API on 127.0.0.1, with the admin
// token of runtime.json, through the one client of the contract. Errors keep their status and body (ApiError).
import { createClient } from '../../shared/api/client.js';
import { ApiRequestError, operations, type OperationName } from '../../shared/api/operations.js';
import { ApiError } from '../gateway/control/api-error.js';
import type { ControlHandlers } from '../gateway/control/operation-call.js';
import type { RuntimeInfo } from '../gateway/home/runtime.js';

export function gatewayHandlers(runtime: Pick<RuntimeInfo, 'controlUrl' | 'adminToken'>): ControlHandlers {
  const api = createClient({ baseUrl: runtime.controlUrl, token: runtime.adminToken });
  const handlers: Record<string, unknown> = {};
  for (const name of Object.keys(operations) as OperationName[]) {
    const call = api[name] as (input: unknown) => Promise<unknown>;
    handlers[name] = async (input: unknown) => {
      try {
        return await call(input);
      } catch (err) {
        if (!(err instanceof ApiRequestError)) throw err;
        // Status 0: the gateway could not be reached (it is stopping).
        throw new ApiError(err.status || 503, err.message, err.body.errors);
      }
    };
  }
  return handlers as ControlHandlers;
}
