// policy.json: which tools an agent may call, with limits and argument rules (DESIGN.md §4).
// This zod schema is the single source: policy.schema.json is generated from it (npm run schema).
import { z } from 'zod';

/** Every object of the policy is strict, but keys starting `x-` are free for the user's own notes and tools. */
const EXTENSION_KEY_PREFIX = 'x-';

/**
 * A strict object that still lets `x-*` keys through. `.strict()` alone would reject them, so unknown keys are
 * caught here instead; the check runs even when a known key is invalid, so every mistake is reported at once.
 */
function extensible<Shape extends z.ZodRawShape>(shape: Shape, what: string) {
  const allowed = Object.keys(shape);
  return z
    .object(shape)
    .catchall(z.unknown())
    .superRefine(
      (value, ctx) => {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
        for (const key of Object.keys(value)) {
          if (Object.hasOwn(shape, key) || key.startsWith(EXTENSION_KEY_PREFIX)) continue;
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `is not a known key of ${what}`,
            params: { hint: `allowed keys: ${allowed.join(', ')}, or any key starting with "x-"` },
          });
        }
      },
      { when: () => true },
    )
    .meta({ additionalProperties: false, patternProperties: { '^x-': {} } });
}

const POLICY_ACTIONS = ['allow', 'deny', 'approve'] as const;
const PolicyActionSchema = z.enum(POLICY_ACTIONS);
/** allow → forward; deny → refuse; approve → a person must approve first (the UI may say "Ask"). */
export type PolicyAction = z.infer<typeof PolicyActionSchema>;

const WINDOW_NAMES = ['second', 'minute', 'hour', 'day'] as const;
const WindowSchema = z.union([
  z.enum(WINDOW_NAMES),
  extensible({ seconds: z.number().int().min(1) }, 'a window'),
]);
type LimitWindow = z.infer<typeof WindowSchema>;

const LIMIT_SCOPES = ['global', 'grant', 'session'] as const;
const LimitSchema = extensible(
  {
    counter: z.string().min(1),
    window: WindowSchema,
    max: z.number().int().min(1),
    /** Absent means `global`: one counter shared by every grant and session. */
    scope: z.enum(LIMIT_SCOPES).default('global'),
  },
  'a limit',
);
export type Limit = z.infer<typeof LimitSchema>;

/** An absolute folder (`/…`, `C:\…`, `\\server\share`), or the user's home folder and below (`~`, `~/…`). */
const ABSOLUTE_FOLDER = /^(?:\/|~(?:[\\/]|$)|[A-Za-z]:[\\/]|\\\\)/;

const PathRuleSchema = extensible(
  {
    /** The value, made canonical, must be one of these folders or lie under one. */
    within: z
      .array(
        z
          .string()
          .regex(ABSOLUTE_FOLDER, 'must be an absolute folder, or start with ~/ (the user’s home folder)'),
      )
      .min(1),
  },
  'a path rule',
);

export const ArgRuleSchema = extensible(
  {
    /** RE2 syntax, matched against the whole value (strings only). */
    pattern: z.string().optional(),
    /** The value must equal one of these (type-strict, deep). */
    enum: z.array(z.unknown()).optional(),
    /** In code points (strings only). */
    maxLength: z.number().int().min(0).optional(),
    /** Inclusive (numbers only). */
    min: z.number().optional(),
    /** Inclusive (numbers only). */
    max: z.number().optional(),
    /**
     * The value is a path, made canonical as the OS will open it (`.`/`..`, repeated separators, `~`, file:// URIs,
     * percent-encoding, symlinks; relative paths against the server's folders), inside one of `within`.
     */
    path: PathRuleSchema.optional(),
    /** The argument must not be present. */
    deny: z.boolean().optional(),
    /** An absent argument is fine (by default an absent argument is a violation). */
    optional: z.boolean().optional(),
  },
  'an argument rule',
);
export type ArgRule = z.infer<typeof ArgRuleSchema>;

const RULE_PARTS = ['action', 'limits', 'args'] as const;

const RuleSchema = extensible(
  {
    /** Absent means `allow` (the meaning of a rule that only sets limits or args). */
    action: PolicyActionSchema.optional(),
    /** Returned to the agent (deny) or shown to the person (approve). */
    reason: z.string().optional(),
    limits: z.array(LimitSchema).optional(),
    args: z.record(z.string(), ArgRuleSchema).optional(),
    /**
     * Watch the rule before it is enforced: it decides as usual and the call record says what it would have done
     * (`monitor: true`), but the rest of the policy decides the call and the rule's limits are not charged.
     */
    monitor: z.boolean().optional(),
  },
  'a rule',
)
  .superRefine((rule, ctx) => {
    if (RULE_PARTS.some((part) => rule[part] !== undefined)) return;
    ctx.addIssue({
      code: 'custom',
      message: 'must have at least one of action, limits, args',
      params: { hint: 'a rule without action allows the call; write {"action": "allow"} to say so' },
    });
  })
  .meta({ anyOf: RULE_PARTS.map((part) => ({ required: [part] })) });
export type Rule = z.infer<typeof RuleSchema>;

const toolsRecord = z.record(z.string(), RuleSchema);

const serverShape = {
  default: PolicyActionSchema.optional(),
  tools: toolsRecord.optional(),
  resources: PolicyActionSchema.optional(),
  prompts: PolicyActionSchema.optional(),
  completion: PolicyActionSchema.optional(),
  sampling: PolicyActionSchema.optional(),
  elicitation: PolicyActionSchema.optional(),
};
export type ServerCapability = 'resources' | 'prompts' | 'completion' | 'sampling' | 'elicitation';

const ServerPolicySchema = extensible(serverShape, 'a server block');
export type ServerPolicy = z.infer<typeof ServerPolicySchema>;

const GrantPolicySchema = extensible(
  {
    default: PolicyActionSchema.optional(),
    tools: toolsRecord.optional(),
    servers: z.record(z.string(), ServerPolicySchema).optional(),
  },
  'a grant overlay',
);
const DEFAULT_APPROVAL_TIMEOUT_SECONDS = 50;

interface LimitSeen {
  path: (string | number)[];
  limit: Limit;
}

function sameWindow(a: LimitWindow, b: LimitWindow): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return a.seconds === b.seconds;
}

function describeLimit(limit: Limit): string {
  const window = typeof limit.window === 'string' ? limit.window : `${limit.window.seconds} seconds`;
  return `window ${window}, max ${limit.max}, scope ${limit.scope}`;
}

/** A JSON path as users read it: `tools.run_procedure.limits[0].window`, `tools["delete_*"].action`. */
export function formatPolicyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'symbol') out += `[${String(part)}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

export const PolicySchema = extensible(
  {
    $schema: z.string().optional(),
    version: z.literal('1'),
    /** Absent means `deny`: a policy that says nothing lets nothing through (fail closed). */
    default: PolicyActionSchema.optional(),
    approvalTimeoutSeconds: z.number().int().min(1).max(3600).default(DEFAULT_APPROVAL_TIMEOUT_SECONDS),
    tools: toolsRecord.optional(),
    servers: z.record(z.string(), ServerPolicySchema).optional(),
    grants: z.record(z.string(), GrantPolicySchema).optional(),
  },
  'the policy',
).superRefine((policy, ctx) => {
  // One counter is one sliding window: rules that share it must describe it the same way.
  const seen = new Map<string, LimitSeen>();
  const visitTools = (tools: Record<string, Rule> | undefined, base: (string | number)[]) => {
    for (const [key, rule] of Object.entries(tools ?? {})) {
      (rule.limits ?? []).forEach((limit, index) => {
        const path = [...base, key, 'limits', index];
        const first = seen.get(limit.counter);
        if (!first) {
          seen.set(limit.counter, { path, limit });
          return;
        }
        const agrees =
          sameWindow(first.limit.window, limit.window) &&
          first.limit.max === limit.max &&
          first.limit.scope === limit.scope;
        if (agrees) return;
        ctx.addIssue({
          code: 'custom',
          path,
          message:
            `uses counter "${limit.counter}" with ${describeLimit(limit)}, ` +
            `but ${formatPolicyPath(first.path)} uses it with ${describeLimit(first.limit)}`,
          params: { hint: 'rules naming the same counter must agree on window, max and scope' },
        });
      });
    }
  };
  visitTools(policy.tools, ['tools']);
  for (const [server, block] of Object.entries(policy.servers ?? {})) {
    visitTools(block.tools, ['servers', server, 'tools']);
  }
  for (const [grant, overlay] of Object.entries(policy.grants ?? {})) {
    visitTools(overlay.tools, ['grants', grant, 'tools']);
    for (const [server, block] of Object.entries(overlay.servers ?? {})) {
      visitTools(block.tools, ['grants', grant, 'servers', server, 'tools']);
    }
  }
});
export type Policy = z.infer<typeof PolicySchema>;
export type PolicyInput = z.input<typeof PolicySchema>;

/** Written into a new home: ask a person about everything until the user decides. */
export const STARTER_POLICY = { version: '1', default: 'approve' } as const satisfies PolicyInput;
