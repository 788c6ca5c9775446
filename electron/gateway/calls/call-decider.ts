// Everything that decides a call at a given moment, in one place: the policy in force and its counters (decide()),
// then the pause, the tool's pin and the tripwire (policy/overrides.ts). Tool calls and every other capability use
// (resources, prompts, completion, sampling, elicitation) are decided here.
import type { ServerCapability } from '../../../shared/policy.js';
import type { Settings } from '../../../shared/settings.js';
import type { CounterStore } from '../policy/counters.js';
import { decide, decideCapability } from '../policy/decide.js';
import type { PolicyHolder } from '../policy/holder.js';
import { applyOverrides } from '../policy/overrides.js';
import type { Decision } from '../policy/types.js';

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
  /** Why the tripwire fires for these arguments (always ask a person), or undefined. */
  tripwire: (args: unknown) => string | undefined;
}

export class CallDecider {
  constructor(private readonly deps: CallDeciderDeps) {}

  /** A tools/call at `now`: the policy's decision with the pause, the pin and the tripwire applied. */
  tool(call: CallTarget, args: Readonly<Record<string, unknown>>, now: number): Decision {
    const { compiled } = this.deps.policy.get();
    const settings = this.deps.settings();
    return applyOverrides(decide({ ...call, arguments: args }, compiled, this.deps.counters, now), {
      paused: this.deps.paused(),
      pauseMode: settings.pauseMode,
      pinChange: this.deps.pinChange(call.server, call.tool),
      pinMode: settings.pinChange,
      tripwire: () => this.deps.tripwire(args),
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
      tripwire: () => this.deps.tripwire(use.params),
    });
  }

  approvalTimeoutSeconds(): number {
    return this.deps.policy.get().compiled.policy.approvalTimeoutSeconds;
  }

  policyVersion(): string {
    return this.deps.policy.get().version;
  }
}
