// The reference upstream's tools: the `test_*` tools the pinned conformance suite's tools-call-* and elicitation
// scenarios call, each answering as the scenario's description asks.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  CreateMessageResultSchema,
  ElicitResultSchema,
  type CallToolResult,
  type ElicitRequestFormParams,
  type LoggingLevel,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { PNG_BASE64, WAV_BASE64 } from './reference-content.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const text = (value: string): CallToolResult => ({ content: [{ type: 'text', text: value }] });
const refusal = (value: string): CallToolResult => ({ ...text(value), isError: true });

type RequestedSchema = ElicitRequestFormParams['requestedSchema'];
type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

const SEP1034_DEFAULTS: RequestedSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', description: 'Name', default: 'John Doe' },
    age: { type: 'integer', description: 'Age', default: 30 },
    score: { type: 'number', description: 'Score', default: 95.5 },
    status: {
      type: 'string',
      description: 'Status',
      enum: ['active', 'inactive', 'pending'],
      default: 'active',
    },
    verified: { type: 'boolean', description: 'Verified', default: true },
  },
};

const SEP1330_ENUMS: RequestedSchema = {
  type: 'object',
  properties: {
    untitledSingle: { type: 'string', enum: ['option1', 'option2', 'option3'] },
    titledSingle: {
      type: 'string',
      oneOf: [
        { const: 'value1', title: 'First Option' },
        { const: 'value2', title: 'Second Option' },
        { const: 'value3', title: 'Third Option' },
      ],
    },
    legacyEnum: {
      type: 'string',
      enum: ['opt1', 'opt2', 'opt3'],
      enumNames: ['Option One', 'Option Two', 'Option Three'],
    },
    untitledMulti: { type: 'array', items: { type: 'string', enum: ['option1', 'option2', 'option3'] } },
    titledMulti: {
      type: 'array',
      items: {
        anyOf: [
          { const: 'value1', title: 'First Choice' },
          { const: 'value2', title: 'Second Choice' },
          { const: 'value3', title: 'Third Choice' },
        ],
      },
    },
  },
};

const LEVELS: LoggingLevel[] = [
  'debug',
  'info',
  'notice',
  'warning',
  'error',
  'critical',
  'alert',
  'emergency',
];

/**
 * Registers the tools. `logLevel()` is this session's level from logging/setLevel: the log messages a tool sends are
 * tied to its request (so over HTTP they travel on that request's stream) and filtered here, as the SDK's own
 * sendLoggingMessage would filter the untied ones.
 */
export function registerTools(server: McpServer, logLevel: () => LoggingLevel | undefined): void {
  const client = () => server.server.getClientCapabilities() ?? {};

  server.registerTool('test_simple_text', { description: 'Returns simple text' }, () =>
    text('This is a simple text response for testing.'),
  );

  server.registerTool('test_image_content', { description: 'Returns an image (PNG)' }, () => ({
    content: [{ type: 'image', data: PNG_BASE64, mimeType: 'image/png' }],
  }));

  server.registerTool('test_audio_content', { description: 'Returns audio (WAV)' }, () => ({
    content: [{ type: 'audio', data: WAV_BASE64, mimeType: 'audio/wav' }],
  }));

  server.registerTool('test_embedded_resource', { description: 'Returns an embedded resource' }, () => ({
    content: [
      {
        type: 'resource',
        resource: {
          uri: 'test://embedded-resource',
          mimeType: 'text/plain',
          text: 'This is an embedded resource content.',
        },
      },
    ],
  }));

  server.registerTool(
    'test_multiple_content_types',
    { description: 'Returns text, an image and a resource' },
    () => ({
      content: [
        { type: 'text', text: 'Multiple content types test:' },
        { type: 'image', data: PNG_BASE64, mimeType: 'image/png' },
        {
          type: 'resource',
          resource: {
            uri: 'test://mixed-content-resource',
            mimeType: 'application/json',
            text: JSON.stringify({ test: 'data', value: 123 }),
          },
        },
      ],
    }),
  );

  server.registerTool(
    'test_tool_with_logging',
    { description: 'Sends three info log messages while it runs' },
    async (extra) => {
      const log = async (data: string) => {
        const level = logLevel();
        if (level && LEVELS.indexOf('info') < LEVELS.indexOf(level)) return;
        await extra.sendNotification({
          method: 'notifications/message',
          params: { level: 'info', logger: 'reference-server', data },
        });
      };
      await log('Tool execution started');
      await sleep(50);
      await log('Tool processing data');
      await sleep(50);
      await log('Tool execution completed');
      return text('Tool with logging executed successfully');
    },
  );

  server.registerTool('test_error_handling', { description: 'Always fails (a tool error)' }, () =>
    refusal('This tool intentionally returns an error for testing'),
  );

  server.registerTool(
    'test_tool_with_progress',
    { description: 'Reports progress 0, 50, 100 of 100 when given a progress token' },
    async (extra) => {
      const progressToken = extra._meta?.progressToken;
      for (const progress of [0, 50, 100]) {
        if (progressToken !== undefined) {
          await extra.sendNotification({
            method: 'notifications/progress',
            params: { progressToken, progress, total: 100, message: `${progress}%` },
          });
        }
        if (progress < 100) await sleep(50);
      }
      return text(`Progress tool completed${progressToken === undefined ? ' (no progress token)' : ''}`);
    },
  );

  server.registerTool(
    'test_sampling',
    {
      description: 'Asks the client to sample an LLM completion',
      inputSchema: { prompt: z.string().describe('The prompt to send to the LLM') },
    },
    async ({ prompt }, extra) => {
      if (!client().sampling) return refusal('The client does not support sampling');
      const result = await extra.sendRequest(
        {
          method: 'sampling/createMessage',
          params: { messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens: 100 },
        },
        CreateMessageResultSchema,
      );
      const reply = Array.isArray(result.content) ? result.content : [result.content];
      const said = reply.map((c) => (c.type === 'text' ? c.text : `[${c.type}]`)).join(' ');
      return text(`LLM response: ${said}`);
    },
  );

  const elicit = async (
    extra: Extra,
    message: string,
    requestedSchema: RequestedSchema,
    answer: string,
  ): Promise<CallToolResult> => {
    if (!client().elicitation) return refusal('The client does not support elicitation');
    const result = await extra.sendRequest(
      { method: 'elicitation/create', params: { message, requestedSchema } },
      ElicitResultSchema,
    );
    return text(`${answer}: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`);
  };

  server.registerTool(
    'test_elicitation',
    {
      description: 'Asks the user (elicitation) for a username and an email',
      inputSchema: { message: z.string().describe('The message to show the user') },
    },
    ({ message }, extra) =>
      elicit(
        extra,
        message,
        {
          type: 'object',
          properties: {
            username: { type: 'string', description: "User's response" },
            email: { type: 'string', description: "User's email address" },
          },
          required: ['username', 'email'],
        },
        'User response',
      ),
  );

  server.registerTool(
    'test_elicitation_sep1034_defaults',
    { description: 'Elicitation with a default for every primitive type (SEP-1034)' },
    (extra) => elicit(extra, 'Please review the defaults', SEP1034_DEFAULTS, 'Elicitation completed'),
  );

  server.registerTool(
    'test_elicitation_sep1330_enums',
    { description: 'Elicitation with all five enum schema variants (SEP-1330)' },
    (extra) => elicit(extra, 'Please choose options', SEP1330_ENUMS, 'Elicitation completed'),
  );
}
