// Everything that decides a call at a given moment, in one place: the policy in force and its counters (decide()),
// then the pause, the tool's pin and the tripwire (policy/overrides.ts). Tool calls and every other capability use
// (resources, prompts, completion, sampling, elicitation) are decided here, each with the folders of its server.
import type { ArgRule, ServerCapability } from '../../../shared/policy.js';
import type { ServerConfig, ServersFile } from '../../../shared/servers.js';
import type { Settings } from '../../../shared/settings.js';
import { canonicalKeys } from '../paths/canonical.js';
import { serverFolders } from '../paths/server-folders.js';
import { nodePathSystem, type PathSystem } from '../paths/system.js';
import { compileArgRules, findArgumentViolation } from '../policy/args.js';
import type { CounterStore } from '../policy/counters.js';
import { decide, decideCapability } from '../policy/decide.js';
import type { PolicyHolder } from '../policy/holder.js';
import { applyOverrides } from '../policy/overrides.js';
import type { Decision, PathResolver } from '../policy/types.js';

export interface CallTarget {
  grant: string;
  session: string;
  server: string;
  tool: string;
}

export interface CallDeciderDeps {
  policy: PolicyHolder;
  counters: CounterStore;
  settings: () => Settings;
  paused: () => boolean;
  /** What changed in the tool's definition since it was pinned (and is not trusted), or undefined. */
  pinChange: (server: string, tool: string) => string | undefined;
  /** servers.json in force: a server's folders (its cwd, roots and folder arguments) are read from it. */
  servers: () => ServersFile;
  /** Why the tripwire fires for these arguments, read against the server's folders (ask a person), or undefined. */
  tripwire: (args: unknown, folders: readonly string[]) => string | undefined;
}

export class CallDecider {
  private readonly system: PathSystem;
  private readonly resolvePath: PathResolver;
  /** Each server's folders, found once per servers.json entry (a reload brings new entries). */
  private readonly folderCache = new WeakMap<ServerConfig, readonly string[]>();

  constructor(private readonly deps: CallDeciderDeps) {
    const system = nodePathSystem();
    this.system = system;
    this.resolvePath = (value, folders) => canonicalKeys(value, folders, system);
  }

  /** A tools/call at `now`: the policy's decision with the pause, the pin and the tripwire applied. */
  tool(call: CallTarget, args: Readonly<Record<string, unknown>>, now: number): Decision {
    const { compiled } = this.deps.policy.get();
    const settings = this.deps.settings();
    const folders = this.foldersOf(call.server);
    const context = { ...call, arguments: args, folders, resolvePath: this.resolvePath };
    return applyOverrides(decide(context, compiled, this.deps.counters, now), {
      paused: this.deps.paused(),
      pauseMode: settings.pauseMode,
      pinChange: this.deps.pinChange(call.server, call.tool),
      pinMode: settings.pinChange,
      tripwire: () => this.deps.tripwire(args, folders),
    });
  }

  /** The folders a server reads relative paths against: its working directory, its roots, its folder arguments. */
  private foldersOf(server: string): readonly string[] {
    const { mcpServers } = this.deps.servers();
    const config = Object.hasOwn(mcpServers, server) ? mcpServers[server] : undefined;
    if (config === undefined) return [];
    let folders = this.folderCache.get(config);
    if (folders === undefined) {
      // A stdio server without `cwd` runs in the gateway's own working directory.
      folders = serverFolders(config, process.cwd(), this.system);
      this.folderCache.set(config, folders);
    }
    return folders;
  }

  /**
   * One argument rule tried on one value of a call to `server`, against that server's folders, by the code that
   * checks calls: the violation, or undefined when the value passes. Throws when the rule's pattern is not RE2.
   */
  testArgument(server: string, name: string, rule: ArgRule, value: unknown): string | undefined {
    const rules = compileArgRules({ [name]: rule }, this.system);
    const args = value === undefined ? {} : { [name]: value };
    return findArgumentViolation(rules, args, {
      folders: this.foldersOf(server),
      resolvePath: this.resolvePath,
    });
  }

  /** The action of a capability for a grant, without asking anyone: lists hide what is denied. */
  capabilityAction(
    server: string,
    capability: ServerCapability,
    grant: string,
  ): 'allow' | 'deny' | 'approve' {
    return decideCapability(server, capability, grant, this.deps.policy.get().compiled).action;
  }

  /** A use of a capability other than tools: the policy's action for it, with the pause and the tripwire applied. */
  capability(use: {
    grant: string;
    server: string;
    capability: ServerCapability;
    params: Record<string, unknown>;
  }): Decision {
    const { action, rule } = decideCapability(
      use.server,
      use.capability,
      use.grant,
      this.deps.policy.get().compiled,
    );
    const what = `the ${use.capability} of server "${use.server}"`;
    const base: Decision =
      action === 'deny'
        ? {
            decision: 'deny',
            status: 'denied',
            rule,
            reason: `${what} are denied by the policy (${rule})`,
            charges: [],
          }
        : action === 'approve'
          ? {
              decision: 'approve',
              status: 'approval_required',
              rule,
              reason: `${what} need approval (${rule})`,
              charges: [],
            }
          : {
              decision: 'allow',
              status: 'allowed',
              rule,
              reason: `${what} are allowed (${rule})`,
              charges: [],
            };
    return applyOverrides(base, {
      paused: this.deps.paused(),
      pauseMode: this.deps.settings().pauseMode,
      pinChange: undefined, // pins are of tool definitions
      pinMode: 'hold',
      tripwire: () => this.deps.tripwire(use.params, this.foldersOf(use.server)),
    });
  }

  approvalTimeoutSeconds(): number {
    return this.deps.policy.get().compiled.policy.approvalTimeoutSeconds;
  }

  policyVersion(): string {
    return this.deps.policy.get().version;
  }
}
