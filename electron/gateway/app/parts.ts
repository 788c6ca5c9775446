// Builds the parts of a running gateway and wires them: the home's files, the policy's decider and counters, the
// call log, pins and approvals, the upstreams, the client sessions and their routes. Nothing here routes a call or
// reads a file itself; each part does its own job (ARCHITECTURE.md).
import crypto from 'node:crypto';
import path from 'node:path';
import { ApprovalService } from '../approvals/service.js';
import { mayAskInClient } from '../approvals/elicitation.js';
import { tripwireCheck } from '../approvals/tripwire.js';
import { guardCapability, type CapabilityUse } from '../calls/capability-guard.js';
import { CallDecider } from '../calls/call-decider.js';
import type { CallRecorder } from '../calls/call-run.js';
import { decidingRule, describeTool } from '../calls/tool-info.js';
import type { ToolCallDeps } from '../calls/tool-call.js';
import type { EventHub } from '../control/event-hub.js';
import { maskStatus, maskUrlSecrets } from '../control/mask.js';
import type { ClientSession } from '../front/client-session.js';
import { McpSessions } from '../front/mcp-sessions.js';
import type { HomePaths } from '../home/paths.js';
import { ChainHead } from '../log/chain-head.js';
import { DayIndexes } from '../log/day-index.js';
import { CallLog } from '../log/call-log.js';
import { CounterStore } from '../policy/counters.js';
import { loggingRoutes } from '../relay/logging.js';
import { LogAudience } from '../relay/notifications.js';
import { promptRoutes } from '../relay/prompts.js';
import { RelayContext } from '../relay/relay-context.js';
import { resourceRoutes } from '../relay/resources.js';
import { TaskBook } from '../relay/task-book.js';
import { taskRoutes } from '../relay/task-routes.js';
import { PauseSwitch } from '../state/pause.js';
import { Telemetry } from '../telemetry/index.js';
import { ToolPins } from '../state/pins.js';
import { PolicySource } from '../team/policy-source.js';
import { SharedCounters } from '../team/shared-counters.js';
import { CallRouter } from './call-router.js';
import { HomeFiles } from './home-files.js';
import { ToolCatalog } from './tool-catalog.js';
import { Upstreams } from './upstreams.js';

export interface PartsContext {
  paths: HomePaths;
  clock: () => number;
  diagnostics: (line: string) => void;
  events: EventHub;
  /** The port the gateway serves on (the tripwire watches for it), once known. */
  port: () => number | undefined;
}

export function assemble(ctx: PartsContext) {
  const { paths, clock, diagnostics, events } = ctx;
  const home = new HomeFiles(paths, diagnostics, {
    policyChanged: (next) => {
      events.emit('policy', { version: next.version });
      sessions.notifyToolsChanged();
    },
    serversChanged: (servers) => upstreams.update(servers),
    grantsRevoked: (names) => names.forEach((name) => void sessions.closeGrant(name)),
    settingsChanged: (next) => {
      telemetry.configure(next);
      shared.start(); // a changed `counters` connects (or stops sharing) now, not at the next call
      void policySource.configure();
    },
  });
  const policySource: PolicySource = new PolicySource({
    settings: () => home.settings.policySource,
    cacheFile: path.join(paths.state, 'team-policy.json'),
    clock,
    diagnostics,
    shownUrl: maskUrlSecrets,
    enforce: (team) => home.setTeamPolicy(team),
    changed: (error) =>
      events.emit('policy', {
        version: home.policy.get().version,
        ...(error !== undefined ? { error } : {}),
      }),
  });
  const counters = new CounterStore();
  const shared = new SharedCounters({
    settings: () => home.settings.counters,
    clock,
    diagnostics,
    onChange: (state) => events.emit('counters', state),
    env: process.env,
  });
  const pause = new PauseSwitch(paths.pause, clock);
  const log = new CallLog(paths.logs, () => home.settings.logArgumentValues);
  const logIndexes = new DayIndexes(paths.logIndex);
  const chainHead = new ChainHead(paths.logs, clock);
  const pins = new ToolPins(path.join(paths.state, 'pins.json'), diagnostics);
  const names = new ToolCatalog({
    pins,
    trusted: (server) => home.settings.trustedServers.includes(server),
    changed: (count) => {
      sessions.notifyToolsChanged();
      events.emit('tools', { count });
    },
    diagnostics,
  });
  const tasks = new TaskBook(clock, () => crypto.randomUUID());
  const decider = new CallDecider({
    policy: home.policy,
    counters,
    settings: () => home.settings,
    paused: () => pause.isPaused,
    pinChange: (server, tool) => pins.changeOf(server, tool),
    servers: () => home.servers,
    tripwire: tripwireCheck({
      home: paths.home,
      policyFile: paths.policy,
      port: () => ctx.port() ?? home.settings.port,
    }),
  });
  const approvals = new ApprovalService({
    clock,
    stateFile: path.join(paths.state, 'approvals.json'),
    policyFile: paths.policy,
    decidingRule: (grant, server, tool) => decidingRule(home.policy.get(), grant, server, tool),
    reloadPolicy: () => home.reloadPolicy(),
    onPending: (approval) => events.emit('approval', { state: 'pending', approval }),
    onResolved: (approval, outcome) => events.emit('approval', { state: 'resolved', approval, outcome }),
    diagnostics,
  });
  const telemetry: Telemetry = new Telemetry({
    home: paths.home,
    logDir: paths.logs,
    clock,
    diagnostics,
    approvalsWaiting: () => approvals.list().length,
    upstreams: () => upstreams.manager.status(),
    counterBackend: () => shared.backend(),
  });
  telemetry.configure(home.settings);
  const recorder: CallRecorder = {
    log,
    onRecord: (record, call, line) => {
      events.emit('call', record);
      telemetry.record(record, call.trace?.traceparent, line);
    },
    policyVersion: () => decider.policyVersion(),
    clock,
    newId: () => crypto.randomUUID(),
    diagnostics,
  };
  const guard = <T>(use: CapabilityUse, forward: () => Promise<T>) =>
    guardCapability({ recorder, decider, approvals }, use, forward);
  const upstreams: Upstreams = new Upstreams({
    servers: () => home.servers,
    sessions: () => sessions,
    tasks,
    logAudience: new LogAudience({ policy: () => home.policy.get().compiled, names: () => names.table }),
    guard,
    onTools: () => names.rebuild(upstreams.manager.tools()),
    onStatus: (status) => events.emit('server', maskStatus(status, home.servers.mcpServers)),
    diagnostics,
  });
  const calls: ToolCallDeps = {
    recorder,
    decide: (call, args, now) => decider.tool(call, args, now),
    charge: (charges, now) => counters.charge(charges, now),
    shared,
    approvals,
    approvalTimeoutSeconds: () => decider.approvalTimeoutSeconds(),
    describeTool: (server, tool) =>
      describeTool(names.table, server, tool, home.settings.trustedServers.includes(server)),
    acceptPin: (server, tool) => pins.accept(server, tool),
    inClient: (session, risk) => {
      const client = sessions.get(session);
      return mayAskInClient(home.settings.elicitationApprovals, risk, client) ? client : undefined;
    },
    onResume: (listener) => pause.onResume(listener),
    forward: (call, args, opts) => upstreams.forward(call, args, opts),
    adoptTask: (taskId, created, finished) => tasks.attach(taskId, created, finished),
  };
  const router = new CallRouter({
    names: () => names.table,
    policy: home.policy,
    calls,
    tasks,
    inFlight: upstreams.inFlight,
  });
  const routesOf = (session: ClientSession) => {
    const relay = new RelayContext(session, {
      upstreams: (s) => upstreams.handles(s),
      guard,
      capabilityAction: (server, capability, grant) => decider.capabilityAction(server, capability, grant),
      subscriptions: upstreams.subscriptions,
    });
    const resources = resourceRoutes(relay);
    return new Map([
      ...router.routes(),
      ...resources.routes,
      ...promptRoutes(relay, resources.find),
      ...loggingRoutes(relay),
      ...taskRoutes(session, {
        book: tasks,
        clientOf: (task) => upstreams.clientOfTask(task),
        track: (server, call) => upstreams.inFlight.track(server, call),
      }),
    ]);
  };
  const sessions: McpSessions = new McpSessions(
    {
      routes: routesOf,
      opened: (session) => upstreams.sessionOpened(session),
      closed: (id) => upstreams.sessionClosed(id),
      diagnostics,
    },
    { clock },
  );

  return {
    home,
    logIndexes,
    chainHead,
    counters,
    names,
    pause,
    log,
    pins,
    approvals,
    upstreams,
    router,
    sessions,
    decider,
    shared,
    policySource,
    telemetry,
  } as const;
}

export type GatewayParts = ReturnType<typeof assemble>;
