// settings.json: operational settings with their documented defaults (DESIGN.md §2).
import { z } from 'zod';

export const DEFAULT_PORT = 7451;

export const Settings = z
  .object({
    port: z.number().int().min(0).max(65535).default(DEFAULT_PORT),
    pauseMode: z.enum(['approve', 'deny']).default('approve'),
    pinChange: z.enum(['hold', 'deny']).default('hold'),
    trustedServers: z.array(z.string()).default([]),
    elicitationApprovals: z.boolean().default(false),
    logRetentionDays: z.number().int().min(1).max(3650).default(30),
    logArgumentValues: z.boolean().default(true),
  })
  .strict();
export type Settings = z.infer<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = Settings.parse({});
