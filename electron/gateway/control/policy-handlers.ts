// The policy routes of the control API: read the file (with its ETag), replace it whole, or edit it path by path as
// the GUI does (PATCH: each edit exact, the rest of the file byte for byte). A write is validated first and written
// atomically; an invalid one is refused with every error's path and leaves the file and the policy in force alone.
// In team mode the policy in force is the team's: read here with where it comes from, and every write is refused.
import fs from 'node:fs';
import type { PolicySource } from '../../../shared/api/policy-shapes.js';
import { readTextIfExists, writeFileAtomic } from '../home/files.js';
import { applyPolicyEdits } from '../policy/edit.js';
import { policyVersion, type PolicyInForce } from '../policy/holder.js';
import { parsePolicyText } from '../policy/load.js';
import { checkPolicyText } from '../policy/check.js';
import type { PolicySourceState } from '../team/policy-source.js';
import { ApiError } from './api-error.js';
import type { ControlHandlers } from './http-adapter.js';

export interface PolicyRouteContext {
  policyFile: string;
  policy: () => PolicyInForce;
  /** Re-reads policy.json now; false when it is invalid (the last good one stays). */
  reloadPolicy: () => boolean;
  /** Team mode (settings.json `policySource`): where the policy in force comes from; undefined: policy.json. */
  policySource: () => PolicySourceState | undefined;
  /** Team mode: fetches the team's policy now. */
  refreshPolicySource: () => Promise<void>;
}

function sourceView(state: PolicySourceState): PolicySource {
  const { fetchedAt, checkedAt, ...rest } = state;
  return {
    ...rest,
    ...(fetchedAt !== undefined ? { fetchedAt: new Date(fetchedAt).toISOString() } : {}),
    ...(checkedAt !== undefined ? { checkedAt: new Date(checkedAt).toISOString() } : {}),
  };
}

/**
 * Team mode: no write through the API changes the policy (an agent holding the admin token must not loosen the team's
 * gate). The team's policy is changed at its source; where the team allows it, policy.json adds deny rules.
 */
export function refuseTeamPolicyWrite(source: PolicySourceState | undefined): void {
  if (!source) return;
  const overlay = source.localOverlay
    ? '; the team lets policy.json on this machine add deny rules: edit that file itself'
    : '';
  throw new ApiError(409, `the policy comes from the team (${source.url}): change it there${overlay}`);
}

/** An error or warning of a policy text as the API sends it: its hint (the fix) is part of the message. */
function problemOf(problem: {
  path: string;
  message: string;
  line?: number;
  column?: number;
  hint?: string;
}) {
  return {
    path: problem.path,
    message: problem.hint === undefined ? problem.message : `${problem.message} (hint: ${problem.hint})`,
    ...(problem.line !== undefined ? { line: problem.line } : {}),
    ...(problem.column !== undefined ? { column: problem.column } : {}),
  };
}

function etagOf(text: string): string {
  return `"${policyVersion(text)}"`;
}

/** The file as it is now, after checking that the caller saw this version of it (`If-Match`). */
function currentText(file: string, ifMatch: string | undefined): string {
  const current = readTextIfExists(file) ?? '';
  if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== etagOf(current)) {
    throw new ApiError(
      409,
      'the policy changed since it was read (stale If-Match): read it again and reapply your edit',
    );
  }
  return current;
}

function write(ctx: PolicyRouteContext, text: string): { etag: string; version: string } {
  const parsed = parsePolicyText(text, 'policy.json');
  if (!parsed.ok) {
    throw new ApiError(
      400,
      `the policy is not valid: ${parsed.errors.length} error${parsed.errors.length === 1 ? '' : 's'}`,
      parsed.errors.map(problemOf),
    );
  }
  writeFileAtomic(ctx.policyFile, text, 0o600);
  ctx.reloadPolicy();
  return { etag: etagOf(text), version: ctx.policy().version };
}

export function policyHandlers(
  ctx: PolicyRouteContext,
): Pick<ControlHandlers, 'getPolicy' | 'putPolicy' | 'patchPolicy' | 'checkPolicy' | 'refreshPolicySource'> {
  return {
    checkPolicy: ({ text }) => {
      const { ok, errors, warnings } = checkPolicyText(text);
      return { ok, errors: errors.map(problemOf), warnings: warnings.map(problemOf) };
    },
    getPolicy: () => {
      const source = ctx.policySource();
      if (source) {
        const { text, version } = ctx.policy();
        return { text, etag: etagOf(text), version, source: sourceView(source) };
      }
      const text = fs.readFileSync(ctx.policyFile, 'utf8');
      return { text, etag: etagOf(text), version: ctx.policy().version };
    },
    putPolicy: ({ text, ifMatch }) => {
      refuseTeamPolicyWrite(ctx.policySource());
      currentText(ctx.policyFile, ifMatch);
      return write(ctx, text);
    },
    patchPolicy: ({ set, ifMatch }) => {
      refuseTeamPolicyWrite(ctx.policySource());
      const current = currentText(ctx.policyFile, ifMatch);
      return write(ctx, applyPolicyEdits(current, set));
    },
    refreshPolicySource: async () => {
      if (!ctx.policySource()) throw new ApiError(404, 'no team policy: settings.json has no "policySource"');
      await ctx.refreshPolicySource();
      const source = ctx.policySource();
      if (!source) throw new ApiError(404, 'no team policy: settings.json no longer has a "policySource"');
      return sourceView(source);
    },
  };
}
