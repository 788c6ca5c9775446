// "Watch only (monitor)" on a tool's own rule: with `"monitor": true` the rule decides and the call record says what
// it would have done, but the call goes on as if the rule were not there (DESIGN.md §4 Monitor); "Enforce" removes it.
// Each click is one exact edit of the rule's `monitor`, with Undo.
import type { ToolInfo } from '../../../shared/api/operations';
import type { PolicyEdits } from '../hooks/usePolicyEdits';
import { rulePartEdit, watchedAction } from '../lib/rule-parts';

export interface MonitorSwitchProps {
  tool: ToolInfo;
  policy: unknown;
  edit: PolicyEdits['edit'];
}

export function MonitorSwitch({ tool, policy, edit }: MonitorSwitchProps) {
  const watched = watchedAction(policy, tool.server, tool.tool) !== undefined;
  const name = `${tool.server}/${tool.tool}`;
  const set = (on: boolean) =>
    void edit(`${name}: ${on ? 'watch only' : 'enforced'}`, (current) =>
      rulePartEdit(current, tool.server, tool.tool, tool.action, ['monitor'], on ? true : null),
    );
  return watched ? (
    <div className="monitor-switch is-on">
      <p>
        Watching only: the rule’s decision is recorded as “would have been…”, and the call goes on as the rest
        of the policy decides.
      </p>
      <button type="button" className="small" onClick={() => set(false)}>
        Enforce
      </button>
    </div>
  ) : (
    <div className="monitor-switch">
      <p className="muted">Try the rule on live calls first: record what it would do without enforcing it.</p>
      <button type="button" className="small secondary" onClick={() => set(true)}>
        Watch only (monitor)
      </button>
    </div>
  );
}
