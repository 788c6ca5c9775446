// The hand checks in front of the SDK's schemas: every value gets the schema's verdict and the schema's output,
// whether the hand check took it or passed it on — shown on examples and on generated values near the common shapes.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CallToolRequestSchema,
  CallToolResultSchema,
  JSONRPCMessageSchema,
  type JSONRPCMessage,
} from '@modelcontextprotocol/sdk/types.js';
import {
  parseCallToolRequest,
  parseCallToolResult,
  parseMessage,
  parseMessageOrThrow,
} from '../../../electron/gateway/rpc/message-shapes.js';

/** What the schema says of a value: its output, or that it refuses it. */
function verdict<T>(parse: () => T): { ok: true; value: T } | { ok: false } {
  try {
    return { ok: true, value: parse() };
  } catch {
    return { ok: false };
  }
}

function sameAsSchema(value: unknown): void {
  const schema = JSONRPCMessageSchema.safeParse(value);
  const ours = parseMessage(value);
  expect(ours.success).toBe(schema.success);
  if (ours.success && schema.success) expect(ours.data).toEqual(schema.data);
  expect(verdict(() => parseMessageOrThrow(value))).toEqual(verdict(() => JSONRPCMessageSchema.parse(value)));
}

function sameCallRequest(message: JSONRPCMessage): void {
  const schema = CallToolRequestSchema.safeParse(message);
  const ours = parseCallToolRequest(message);
  expect(ours.success).toBe(schema.success);
  if (ours.success && schema.success) expect(ours.data).toEqual(schema.data);
}

function sameResult(value: unknown): void {
  expect(verdict(() => parseCallToolResult(value))).toEqual(verdict(() => CallToolResultSchema.parse(value)));
}

const examples: unknown[] = [
  { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { message: 'hi' } } },
  { jsonrpc: '2.0', id: 'a', method: 'tools/list' },
  { jsonrpc: '2.0', id: 1.5, method: 'tools/list' },
  { jsonrpc: '2.0', id: null, method: 'tools/list' },
  { jsonrpc: '2.0', id: 2 ** 60, method: 'tools/list' },
  { jsonrpc: '1.0', id: 1, method: 'x' },
  { jsonrpc: '2.0', method: 'notifications/initialized' },
  { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 3, reason: 'x' } },
  { jsonrpc: '2.0', method: 'x', params: [] },
  { jsonrpc: '2.0', method: 'x', params: { _meta: { progressToken: 'p' } } },
  { jsonrpc: '2.0', method: 'x', params: { _meta: { progressToken: 1.5 } } },
  {
    jsonrpc: '2.0',
    method: 'x',
    params: { _meta: { 'io.modelcontextprotocol/related-task': { taskId: 't' } } },
  },
  { jsonrpc: '2.0', method: 'x', params: { _meta: { 'io.modelcontextprotocol/related-task': {} } } },
  { jsonrpc: '2.0', method: 'x', extra: 1 },
  { jsonrpc: '2.0', id: 1, result: {} },
  { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'Echo: hi' }] } },
  { jsonrpc: '2.0', id: 1, result: [] },
  { jsonrpc: '2.0', id: 1, result: { _meta: 5 } },
  { jsonrpc: '2.0', result: {} },
  { jsonrpc: '2.0', id: 1, error: { code: -32601, message: 'Method not found' } },
  { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' } },
  { jsonrpc: '2.0', id: 1, error: { code: 1.5, message: 'x' } },
  { jsonrpc: '2.0', id: 1, method: 'x', result: {} },
  null,
  [],
  'text',
  42,
  Object.create({ jsonrpc: '2.0', method: 'inherited' }),
];

const callRequests: JSONRPCMessage[] = [
  { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { message: 'hi' } } },
  { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo' } },
  { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: [] } },
  { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: null } },
  { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 7 } },
  { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { arguments: {} } },
  { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'e', extra: true } },
  { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'e', task: { ttl: 1000 } } },
  { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'e', task: { ttl: 'x' } } },
  { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'e', _meta: { progressToken: 9 } } },
  { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'e', _meta: { progressToken: true } } },
  { jsonrpc: '2.0', id: 1, method: 'tools/call' },
] as JSONRPCMessage[];

const results: unknown[] = [
  { content: [{ type: 'text', text: 'Echo: hi' }] },
  { content: [{ type: 'text', text: 'boom' }], isError: true },
  { content: [{ type: 'text', text: 'x' }], isError: 'yes' },
  { content: [{ type: 'text', text: 'x', annotations: { priority: 1 } }] },
  { content: [{ type: 'text', text: 'x', unknown: 1 }] },
  { content: [{ type: 'image', data: 'AAAA', mimeType: 'image/png' }] },
  { content: [{ type: 'text' }] },
  { content: [], structuredContent: { a: 1 } },
  { content: [], structuredContent: [1] },
  { content: [], other: 'kept' },
  { content: [], _meta: { progressToken: 'p', custom: 1 } },
  {},
  { content: 'text' },
  null,
];

const jsonValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.string({ maxLength: 3 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.constantFrom('a', 'progressToken', 'taskId'), fc.oneof(fc.string(), fc.integer())),
);
const meta = fc.oneof(
  fc.constant(undefined),
  jsonValue,
  fc.record(
    { progressToken: jsonValue, 'io.modelcontextprotocol/related-task': jsonValue, other: jsonValue },
    { requiredKeys: [] },
  ),
);
/** Objects near the JSON-RPC shapes: each key present or not, each value right or wrong. */
const nearMessage = fc
  .record(
    {
      jsonrpc: fc.oneof(fc.constant('2.0'), jsonValue),
      id: fc.oneof(fc.integer(), fc.string({ maxLength: 3 }), jsonValue),
      method: fc.oneof(fc.constantFrom('tools/call', 'x'), jsonValue),
      params: fc.oneof(
        jsonValue,
        fc.record(
          {
            name: fc.oneof(fc.string({ maxLength: 3 }), jsonValue),
            arguments: fc.oneof(fc.dictionary(fc.string({ maxLength: 2 }), jsonValue), jsonValue),
            _meta: meta,
            task: fc.oneof(fc.record({ ttl: fc.oneof(fc.integer(), jsonValue) }), jsonValue),
            extra: jsonValue,
          },
          { requiredKeys: [] },
        ),
      ),
      result: fc.oneof(jsonValue, fc.record({ _meta: meta, content: jsonValue }, { requiredKeys: [] })),
      error: fc.oneof(jsonValue, fc.record({ code: fc.integer(), message: fc.string() })),
      extra: jsonValue,
    },
    { requiredKeys: [] },
  )
  // As JSON.parse would hand it over: no undefined values.
  .map((v) => JSON.parse(JSON.stringify(v)) as unknown);

const nearResult = fc
  .record(
    {
      content: fc.oneof(
        fc.array(
          fc.record(
            {
              type: fc.oneof(fc.constantFrom('text', 'image'), jsonValue),
              text: fc.oneof(fc.string({ maxLength: 3 }), jsonValue),
              annotations: fc.oneof(fc.record({ priority: fc.double() }), jsonValue),
              extra: jsonValue,
            },
            { requiredKeys: [] },
          ),
          { maxLength: 3 },
        ),
        jsonValue,
      ),
      isError: fc.oneof(fc.boolean(), jsonValue),
      structuredContent: jsonValue,
      _meta: meta,
      other: jsonValue,
    },
    { requiredKeys: [] },
  )
  .map((v) => JSON.parse(JSON.stringify(v)) as unknown);

describe('message shapes', () => {
  it('give the JSON-RPC message schema’s verdict and output on examples', () => {
    for (const value of examples) sameAsSchema(value);
  });

  it('take the common messages by hand, returning them as they are', () => {
    const call = examples[0];
    const parsed = parseMessage(call);
    expect(parsed.success && parsed.data).toBe(call);
  });

  it('give the tools/call schema’s verdict and output on examples', () => {
    for (const message of callRequests) sameCallRequest(message);
  });

  it('give the tool result schema’s verdict and output on examples', () => {
    for (const value of results) sameResult(value);
  });

  it('agree with the JSON-RPC message schema on generated values', () => {
    fc.assert(
      fc.property(nearMessage, (value) => sameAsSchema(value)),
      { numRuns: 3000 },
    );
  });

  it('agree with the tools/call schema on generated requests', () => {
    fc.assert(
      fc.property(nearMessage, (value) => {
        const message = JSONRPCMessageSchema.safeParse(value);
        if (message.success) sameCallRequest(message.data);
      }),
      { numRuns: 3000 },
    );
  });

  it('agree with the tool result schema on generated results', () => {
    fc.assert(
      fc.property(nearResult, (value) => sameResult(value)),
      { numRuns: 3000 },
    );
  });
});
