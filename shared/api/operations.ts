// Every control operation, declared once: HTTP method and path, input and output schemas. The HTTP adapter
// (electron/gateway/control/) and the Electron IPC bridge both serve this table; the dashboard and the CLI call it
// through GatehouseApi (client.ts). Paths are relative to /api.
import { z } from 'zod';
import { CallExport, CallExportQuery, CallPage, CallQuery } from '../call-query.js';
import { LogHead } from '../call-record.js';
import { Settings, SettingsPatch } from '../settings.js';
import { ServerConfig, UpstreamStatus } from '../servers.js';
import { ApprovalAnswer, PendingApproval, Risk } from './approvals.js';
import { CounterBackend } from './counter-shapes.js';
import { Health } from './health.js';
import { ClientConfigView, ConnectClientName, ConnectOptions, ConnectPreview } from './connect-shapes.js';
import {
  ArgumentTest,
  PolicyCheck,
  PolicyPatch,
  PolicyProblem,
  PolicyPut,
  PolicyRecommendation,
  PolicySimulation,
  PolicySource,
  PolicyText,
} from './policy-shapes.js';
import type { GatehouseEvent } from './events.js';

type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface OperationDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  method: HttpMethod;
  path: string;
  input: I;
  output: O;
  /** Body sent or received as text instead of JSON (the policy file, kept byte for byte). */
  textBody?: 'request' | 'response' | 'both';
  /** The Content-Type of a text response (default application/json: the policy file). */
  textType?: string;
  /** Reachable without the admin token (the login exchange: the one-time code is the credential). */
  public?: boolean;
  /** The input's `ifMatch` travels as the If-Match header (a JSON body keeps the rest). */
  conditional?: boolean;
}

function op<I extends z.ZodType, O extends z.ZodType>(def: OperationDef<I, O>): OperationDef<I, O> {
  return def;
}

const Empty = z.object({}).strict();
const Ok = z.object({ ok: z.literal(true) });
const Named = z.object({ name: z.string().min(1) });

const PauseState = z.object({ paused: z.boolean(), mode: z.enum(['approve', 'deny']) });

export const ToolInfo = z.object({
  server: z.string(),
  tool: z.string(),
  exposedName: z.string(),
  description: z.string().optional(),
  /** The argument names of the tool's input schema (the server's own, as offered to argument rules). */
  argumentNames: z.array(z.string()).optional(),
  /** The rule that decides this tool for calls without a grant overlay (or the default). */
  rule: z.string(),
  action: z.enum(['allow', 'deny', 'approve']),
  risk: Risk,
  /** Remaining quota of each counter of the deciding rule, as it stands for calls without a grant or session. */
  quota: z.array(
    z.object({
      counter: z.string(),
      max: z.number(),
      window: z.string(),
      remaining: z.number(),
      scope: z.string(),
    }),
  ),
  pin: z.string().optional(),
});
export type ToolInfo = z.infer<typeof ToolInfo>;

export const ServerView = z.object({
  name: z.string(),
  /** The config with env values and header values masked. */
  config: z.record(z.string(), z.unknown()),
  status: UpstreamStatus.optional(),
});
export type ServerView = z.infer<typeof ServerView>;

const GrantView = z.object({ name: z.string(), created: z.string(), sessions: z.number().int() });

/**
 * A tool's definition as pinned (state/pins.json) and as its server lists it now; `schema` is its input and output
 * schemas, annotations and title as one canonical JSON.
 */
const ToolDefinitionText = z.object({ description: z.string().optional(), schema: z.string() });
const ToolPinReview = z.object({
  /**
   * pinned: as listed; changed: listed otherwise than pinned (held or refused until accepted); renamed: a new name with
   * the definition of a pinned tool no longer listed (held likewise); unpinned: no pin yet.
   */
  state: z.enum(['pinned', 'changed', 'renamed', 'unpinned']),
  /** For a renamed tool: the name it had. */
  renamedFrom: z.string().optional(),
  pinned: ToolDefinitionText.optional(),
  current: ToolDefinitionText,
});

export const operations = {
  login: op({
    method: 'POST',
    path: '/login',
    input: z.object({ code: z.string().min(1) }).strict(),
    output: z.object({ token: z.string() }),
    public: true,
  }),
  /** Sign-out: the dashboard token that sends it stops working at once (the admin token is not affected). */
  logout: op({ method: 'DELETE', path: '/login', input: Empty, output: Ok }),
  createLoginUrl: op({
    method: 'POST',
    path: '/login-codes',
    input: Empty,
    output: z.object({ url: z.string() }),
  }),
  listApprovals: op({
    method: 'GET',
    path: '/approvals',
    input: Empty,
    output: z.object({ approvals: z.array(PendingApproval) }),
  }),
  answerApproval: op({
    method: 'POST',
    path: '/approvals/:id',
    input: ApprovalAnswer.extend({ id: z.string() }),
    output: Ok,
  }),
  listCalls: op({ method: 'GET', path: '/calls', input: CallQuery, output: CallPage }),
  /** The calls matching the filters as JSONL or CSV, oldest first; bounded (`truncated` says when more matched). */
  exportCalls: op({ method: 'GET', path: '/calls/export', input: CallExportQuery, output: CallExport }),
  /** The chain of the newest day file of the call log: its head hash, and whether it holds. */
  getLogHead: op({ method: 'GET', path: '/log/head', input: Empty, output: LogHead }),
  getPolicy: op({ method: 'GET', path: '/policy', input: Empty, output: PolicyText, textBody: 'response' }),
  putPolicy: op({
    method: 'PUT',
    path: '/policy',
    input: PolicyPut,
    output: z.object({ etag: z.string(), version: z.string() }),
    textBody: 'request',
  }),
  patchPolicy: op({
    method: 'PATCH',
    path: '/policy',
    input: PolicyPatch,
    output: z.object({ etag: z.string(), version: z.string() }),
    conditional: true,
  }),
  /** Team mode: fetch the team's policy now rather than at the next refresh; 404 without `policySource`. */
  refreshPolicySource: op({
    method: 'POST',
    path: '/policy/source/refresh',
    input: Empty,
    output: PolicySource,
  }),
  checkPolicy: op({
    method: 'POST',
    path: '/policy/check',
    input: z.object({ text: z.string() }),
    output: PolicyCheck,
    textBody: 'request',
  }),
  recommendPolicy: op({
    method: 'POST',
    path: '/policy/recommend',
    input: z.object({ destructive: z.enum(['approve', 'deny']).optional() }).strict(),
    output: PolicyRecommendation,
  }),
  simulatePolicy: op({
    method: 'POST',
    path: '/policy/simulate',
    input: z
      .object({
        /** The draft policy's text. */
        text: z.string(),
        /** Only calls this recent: `7d`, `24h`, `30m`. */
        since: z.string().optional(),
        /** The most changed calls returned (default 500). */
        limit: z.number().int().min(1).max(10_000).optional(),
      })
      .strict(),
    output: PolicySimulation,
  }),
  testArgument: op({
    method: 'POST',
    path: '/policy/test-argument',
    input: ArgumentTest,
    output: z.object({ ok: z.boolean(), violation: z.string().optional() }),
  }),
  listTools: op({
    method: 'GET',
    path: '/tools',
    input: Empty,
    output: z.object({ tools: z.array(ToolInfo) }),
  }),
  listToolPins: op({
    method: 'GET',
    path: '/tool-pins',
    input: Empty,
    output: z.object({
      pins: z.array(z.object({ server: z.string(), tool: z.string(), state: ToolPinReview.shape.state })),
    }),
  }),
  getToolPin: op({
    method: 'GET',
    path: '/tools/:server/:tool/pin',
    input: z.object({ server: z.string().min(1), tool: z.string().min(1) }),
    output: ToolPinReview,
  }),
  /** A person accepts a tool's changed definition: it becomes the pin, and its calls are no longer held for it. */
  acceptToolPin: op({
    method: 'POST',
    path: '/tools/:server/:tool/pin/accept',
    input: z.object({ server: z.string().min(1), tool: z.string().min(1) }),
    output: ToolPinReview,
  }),
  listServers: op({
    method: 'GET',
    path: '/servers',
    input: Empty,
    output: z.object({ servers: z.array(ServerView) }),
  }),
  getServer: op({ method: 'GET', path: '/servers/:name', input: Named, output: ServerView }),
  addServer: op({
    method: 'POST',
    path: '/servers',
    input: Named.extend({ config: ServerConfig }),
    output: ServerView,
  }),
  putServer: op({
    method: 'PUT',
    path: '/servers/:name',
    input: Named.extend({ config: ServerConfig }),
    output: ServerView,
  }),
  deleteServer: op({ method: 'DELETE', path: '/servers/:name', input: Named, output: Ok }),
  restartServer: op({ method: 'POST', path: '/servers/:name/restart', input: Named, output: Ok }),
  listGrants: op({
    method: 'GET',
    path: '/grants',
    input: Empty,
    output: z.object({ grants: z.array(GrantView) }),
  }),
  addGrant: op({
    method: 'POST',
    path: '/grants',
    input: Named,
    output: z.object({ name: z.string(), token: z.string() }),
  }),
  revokeGrant: op({ method: 'DELETE', path: '/grants/:name', input: Named, output: Ok }),
  getPause: op({ method: 'GET', path: '/pause', input: Empty, output: PauseState }),
  setPause: op({
    method: 'PUT',
    path: '/pause',
    input: z.object({ paused: z.boolean() }).strict(),
    output: PauseState,
  }),
  /** For operators (README "Team mode"): ok, or degraded with the reasons. */
  getHealth: op({ method: 'GET', path: '/health', input: Empty, output: Health }),
  /** Prometheus' text exposition format, for a scraper that sends the admin token. */
  getMetrics: op({
    method: 'GET',
    path: '/metrics',
    input: Empty,
    output: z.object({ text: z.string() }),
    textBody: 'response',
    textType: 'text/plain; version=0.0.4; charset=utf-8',
  }),
  /** Where the rate-limit counters are kept: this gateway alone, or the team's Redis and whether it answers now. */
  getCounters: op({ method: 'GET', path: '/counters', input: Empty, output: CounterBackend }),
  getSettings: op({ method: 'GET', path: '/settings', input: Empty, output: Settings }),
  putSettings: op({ method: 'PUT', path: '/settings', input: SettingsPatch, output: Settings }),
  listClientConfigs: op({
    method: 'GET',
    path: '/connect',
    input: Empty,
    output: z.object({
      clients: z.array(ClientConfigView),
      /** policy.json is still the starter: the "allow reads, ask for the rest" policy connect proposes. */
      startingPolicy: z.object({ text: z.string(), allowed: z.array(z.string()) }).optional(),
    }),
  }),
  previewConnect: op({
    method: 'POST',
    path: '/connect/:client/preview',
    input: ConnectOptions.strict(),
    output: ConnectPreview,
  }),
  connectClient: op({
    method: 'POST',
    path: '/connect/:client',
    input: ConnectOptions.extend({
      /** The preview's hash: refused (409) when the config or the change differs from what was previewed. */
      ifUnchanged: z.string().min(1),
      /** Write the starting policy too (when one is proposed). */
      startingPolicy: z.boolean().optional(),
    }).strict(),
    output: z.object({
      changed: z.boolean(),
      backup: z.string().optional(),
      imported: z.array(z.string()),
      grantCreated: z.boolean(),
      policyWritten: z.boolean(),
    }),
  }),
  undoConnect: op({
    method: 'POST',
    path: '/connect/:client/undo',
    input: z.object({ client: ConnectClientName }).strict(),
    output: z.object({ backup: z.string(), removed: z.boolean(), revokedGrant: z.string().optional() }),
  }),
} as const;

export type Operations = typeof operations;
export type OperationName = keyof Operations;
type OperationInput<K extends OperationName> = z.input<Operations[K]['input']>;
export type OperationOutput<K extends OperationName> = z.output<Operations[K]['output']>;

/** The state of the event stream, reported at each (re)connection and loss; `error` says why it was lost. */
export interface EventStreamStatus {
  connected: boolean;
  error?: ApiRequestError;
}

export interface SubscribeOptions {
  /** Ends the subscription. */
  signal?: AbortSignal;
  onStatus?: (status: EventStreamStatus) => void;
}

/** What every face (the dashboard, the CLI) depends on: one async function per operation, and the events. */
export type GatehouseApi = {
  [K in OperationName]: (input: OperationInput<K>) => Promise<OperationOutput<K>>;
} & {
  /**
   * Streams the events of GET /api/events, in order, reconnecting (with Last-Event-ID, so no event the gateway still
   * buffers is missed) until `signal` aborts: then it resolves. It rejects with an ApiRequestError when the gateway
   * refuses the token (401, 403), which no retry mends.
   */
  subscribe(onEvent: (event: GatehouseEvent) => void, options?: SubscribeOptions): Promise<void>;
};

/** The error body of every failed control request. */
export const ApiErrorBody = z.object({
  error: z.string(),
  errors: z.array(PolicyProblem).optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

/** A failed control request: the HTTP status (0 when the gateway could not be reached) and the error body. */
export class ApiRequestError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.error);
    this.name = 'ApiRequestError';
  }
}
