// settings.json: operational settings with their documented defaults (DESIGN.md §2).
import { z } from 'zod';

const DEFAULT_PORT = 7451;

/**
 * Team mode's shared rate-limit counters (DESIGN.md §9): limits with scope `global` and `grant` are counted on this
 * Redis, across every gateway with the same `team`. A password goes in the URL (`redis://:PASSWORD@host:6379`) or in
 * the environment (GATEHOUSE_REDIS_PASSWORD); `rediss://` is Redis over TLS. `onUnavailable`: what a call under a shared
 * limit gets while Redis cannot be reached — refused (`deny`, the default) or counted by this gateway alone (`local`).
 */
const CountersSettings = z
  .object({
    redis: z
      .string()
      .regex(/^rediss?:\/\/[^\s]+$/, 'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379'),
    team: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1 to 64 letters, digits, dots, dashes or underscores'),
    onUnavailable: z.enum(['deny', 'local']).default('deny'),
  })
  .strict();
export type CountersSettings = z.infer<typeof CountersSettings>;

/**
 * Team mode's audit trail (DESIGN.md §9): each call record also sent as an OpenTelemetry log record to this OTLP/HTTP
 * endpoint (its base, e.g. `http://collector:4318`, or the full `…/v1/logs`). `headers` are secrets (an API key): the
 * control API shows them masked and diagnostics never print them.
 */
const Otlp = z
  .object({
    endpoint: z.url({ protocol: /^https?$/, error: 'endpoint must be an http:// or https:// URL' }),
    headers: z.record(z.string(), z.string()).optional(),
  })
  .strict();
export type OtlpSettings = z.infer<typeof Otlp>;

/**
 * Team mode's one policy (DESIGN.md §9): the team's policy.json fetched from this URL at start and every
 * `refreshSeconds` (with its ETag), enforced instead of the local policy.json. Credentials in the URL (`user:pass@`)
 * are secrets: the control API shows them masked and diagnostics never print them.
 */
const PolicySourceSettings = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'url must be an http:// or https:// URL' }),
    refreshSeconds: z.number().int().min(5).default(60),
  })
  .strict();
export type PolicySourceSettings = z.infer<typeof PolicySourceSettings>;

const fields = {
  port: z.number().int().min(0).max(65535),
  pauseMode: z.enum(['approve', 'deny']),
  pinChange: z.enum(['hold', 'deny']),
  trustedServers: z.array(z.string()),
  elicitationApprovals: z.boolean(),
  logRetentionDays: z.number().int().min(1).max(3650),
  logArgumentValues: z.boolean(),
  otlp: Otlp,
  counters: CountersSettings,
  policySource: PolicySourceSettings,
};

export const Settings = z
  .object({
    port: fields.port.default(DEFAULT_PORT),
    pauseMode: fields.pauseMode.default('approve'),
    pinChange: fields.pinChange.default('hold'),
    trustedServers: fields.trustedServers.default([]),
    elicitationApprovals: fields.elicitationApprovals.default(false),
    logRetentionDays: fields.logRetentionDays.default(30),
    logArgumentValues: fields.logArgumentValues.default(true),
    otlp: fields.otlp.optional(),
    counters: fields.counters.optional(),
    policySource: fields.policySource.optional(),
  })
  .strict();
export type Settings = z.infer<typeof Settings>;

/** A change to some settings (PUT /api/settings): only the keys given, no defaults filled in. */
export const SettingsPatch = z.object(fields).partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;
