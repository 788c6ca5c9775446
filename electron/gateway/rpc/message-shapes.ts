// The common shapes of MCP messages, checked by hand before the SDK's zod schemas: a JSON-RPC request, notification or
// result, a tools/call request and a tool result made of text blocks. Why (README "Performance"): each message of a
// call crossed a zod schema four times (the client's request, its tools/call params, the upstream's line and its
// result), a visible share of the gateway's CPU per call. Each check here accepts only values its schema accepts and
// would return unchanged (no key the schema strips, no default it fills in); whatever it does not accept goes to the
// schema, so what is accepted, refused and returned is the schema's in every case.
import {
  CallToolRequestSchema,
  CallToolResultSchema,
  JSONRPCMessageSchema,
  type CallToolRequest,
  type CallToolResult,
  type JSONRPCMessage,
} from '@modelcontextprotocol/sdk/types.js';

type Obj = Record<string, unknown>;

/** A plain JSON object (what JSON.parse makes of `{…}`). */
function isPlainObject(value: unknown): value is Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

const isId = (value: unknown) =>
  typeof value === 'string' || (typeof value === 'number' && Number.isSafeInteger(value));

/** Every own key of `value` is one of `allowed`. */
function onlyKeys(value: Obj, allowed: ReadonlySet<string>): boolean {
  for (const key in value) if (!allowed.has(key)) return false;
  return true;
}

/** `_meta` of a request, a notification or a result: absent, or an object whose progressToken (if any) is an id. */
function metaOk(meta: unknown): boolean {
  if (meta === undefined) return true;
  if (!isPlainObject(meta)) return false;
  if ('io.modelcontextprotocol/related-task' in meta) return false; // left to the schema
  return meta.progressToken === undefined || isId(meta.progressToken);
}

/** Request and notification params: absent, or an object (kept whole) with a valid `_meta`. */
const paramsOk = (params: unknown) => params === undefined || (isPlainObject(params) && metaOk(params._meta));

const REQUEST_KEYS = new Set(['jsonrpc', 'id', 'method', 'params']);
const NOTIFICATION_KEYS = new Set(['jsonrpc', 'method', 'params']);
const RESULT_KEYS = new Set(['jsonrpc', 'id', 'result']);

/** A request, notification or result response in its plain form, or undefined (then the schema decides). */
function plainMessage(value: unknown): JSONRPCMessage | undefined {
  if (!isPlainObject(value) || value.jsonrpc !== '2.0') return undefined;
  if (typeof value.method === 'string') {
    const keys = 'id' in value ? REQUEST_KEYS : NOTIFICATION_KEYS;
    if (keys === REQUEST_KEYS && !isId(value.id)) return undefined;
    return onlyKeys(value, keys) && paramsOk(value.params) ? (value as JSONRPCMessage) : undefined;
  }
  if ('result' in value && isId(value.id) && onlyKeys(value, RESULT_KEYS)) {
    return isPlainObject(value.result) && metaOk(value.result._meta) ? (value as JSONRPCMessage) : undefined;
  }
  return undefined;
}

/** JSONRPCMessageSchema.safeParse, with the common shapes checked by hand first. */
export function parseMessage(value: unknown): { success: true; data: JSONRPCMessage } | { success: false } {
  const plain = plainMessage(value);
  if (plain) return { success: true, data: plain };
  const parsed = JSONRPCMessageSchema.safeParse(value);
  return parsed.success ? { success: true, data: parsed.data } : { success: false };
}

/** JSONRPCMessageSchema.parse (throws the schema's error), with the common shapes checked by hand first. */
export function parseMessageOrThrow(value: unknown): JSONRPCMessage {
  return plainMessage(value) ?? JSONRPCMessageSchema.parse(value);
}

const CALL_PARAMS_KEYS = new Set(['name', 'arguments', '_meta']);

/**
 * CallToolRequestSchema.safeParse of a JSON-RPC request: `{ method, params }` as the schema returns it (it keeps
 * neither `jsonrpc` nor `id`). Params with a task, unknown keys or anything unusual go to the schema.
 */
export function parseCallToolRequest(
  message: JSONRPCMessage,
): ReturnType<typeof CallToolRequestSchema.safeParse> {
  const m = message as Obj;
  const params = m.params;
  if (
    m.method === 'tools/call' &&
    isPlainObject(params) &&
    typeof params.name === 'string' &&
    onlyKeys(params, CALL_PARAMS_KEYS) &&
    (params.arguments === undefined || isPlainObject(params.arguments)) &&
    metaOk(params._meta)
  ) {
    return { success: true, data: { method: 'tools/call', params } as CallToolRequest };
  }
  const parsed = CallToolRequestSchema.safeParse(message);
  if (!parsed.success || parsed.data.params.arguments === undefined) return parsed;
  // The schema's record drops an argument named `__proto__`: what it checked is the object the client sent.
  const sent = (params as Obj).arguments as Record<string, unknown>;
  return { success: true, data: { ...parsed.data, params: { ...parsed.data.params, arguments: sent } } };
}

const TEXT_KEYS = new Set(['type', 'text']);
const isTextBlock = (block: unknown) =>
  isPlainObject(block) &&
  block.type === 'text' &&
  typeof block.text === 'string' &&
  onlyKeys(block, TEXT_KEYS);

/**
 * CallToolResultSchema.parse (throws the schema's error): a result whose content is text blocks only, with a boolean
 * isError and structured content if any, is taken as it is (the schema keeps a result's other keys).
 */
export function parseCallToolResult(value: unknown): CallToolResult {
  if (
    isPlainObject(value) &&
    Array.isArray(value.content) &&
    value.content.every(isTextBlock) &&
    (value.isError === undefined || typeof value.isError === 'boolean') &&
    (value.structuredContent === undefined || isPlainObject(value.structuredContent)) &&
    metaOk(value._meta)
  ) {
    return value as CallToolResult;
  }
  return CallToolResultSchema.parse(value);
}
