// One control operation run the same way by every adapter (HTTP, Electron IPC): the raw input parsed by the
// operation's zod schema, the handler called, its output checked by the output schema, and any failure turned into
// the contract's status and ApiErrorBody — so a client raises the same ApiRequestError whichever way it came.
import type { z } from 'zod';
import type {
  ApiErrorBody,
  OperationDef,
  OperationName,
  OperationOutput,
  Operations,
} from '../../../shared/api/operations.js';
import { ApiError } from './api-error.js';

/** Who sent a control request: the bearer token it carried (sign-out ends that token's dashboard session). */
export interface ControlCaller {
  token?: string;
}

export type ControlHandlers = {
  [K in OperationName]: (
    input: z.output<Operations[K]['input']>,
    caller: ControlCaller,
  ) => OperationOutput<K> | Promise<OperationOutput<K>>;
};

export type OperationResult =
  { ok: true; output: Record<string, unknown> } | { ok: false; status: number; body: ApiErrorBody };

function issuesOf(error: z.ZodError): ApiErrorBody['errors'] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/** An error as the contract answers it: an ApiError's own status and message, anything else a logged 500. */
export function failureOf(
  err: unknown,
  diagnostics: (line: string) => void,
): Extract<OperationResult, { ok: false }> {
  if (err instanceof ApiError) {
    return {
      ok: false,
      status: err.status,
      body: { error: err.message, ...(err.errors ? { errors: err.errors } : {}) },
    };
  }
  diagnostics(`control API: ${(err as Error).stack ?? String(err)}`);
  return { ok: false, status: 500, body: { error: `internal error: ${(err as Error).message}` } };
}

export async function runOperation(
  name: OperationName,
  def: OperationDef,
  handlers: ControlHandlers,
  rawInput: unknown,
  caller: ControlCaller,
  diagnostics: (line: string) => void,
): Promise<OperationResult> {
  const parsed = def.input.safeParse(rawInput);
  if (!parsed.success) {
    return {
      ok: false,
      status: 400,
      body: { error: `invalid input for ${name}`, errors: issuesOf(parsed.error) },
    };
  }
  const handler = handlers[name] as (input: unknown, caller: ControlCaller) => unknown;
  try {
    return {
      ok: true,
      output: def.output.parse(await handler(parsed.data, caller)) as Record<string, unknown>,
    };
  } catch (err) {
    return failureOf(err, diagnostics);
  }
}
