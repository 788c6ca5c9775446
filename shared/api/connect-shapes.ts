// The shapes of the Connect view's operations (operations.ts): a client's config as shown, the options of a connect,
// and its preview — never a token or an env value.
import { z } from 'zod';

/** The MCP clients `gatehouse connect` and the Connect view know (electron/gateway/clients/locations.ts). */
export const ConnectClientName = z.enum(['claude', 'cursor', 'vscode', 'claude-code']);

/** A client's user config as the Connect view shows it: never a token or an env value, only names. */
export const ClientConfigView = z.object({
  name: ConnectClientName,
  label: z.string(),
  configPath: z.string(),
  /** Where the client keeps it on each OS (this machine's home for this OS). */
  paths: z.object({ darwin: z.string(), win32: z.string(), linux: z.string() }),
  found: z.boolean(),
  /** It has at least one Gatehouse entry. */
  connected: z.boolean(),
  /** Gatehouse's entries in it, by name. */
  entries: z.array(z.string()),
  /** Servers reached directly, not through Gatehouse (names; Claude Desktop's extensions too). */
  bypassing: z.array(z.string()),
  takesUrl: z.boolean(),
  /** A backup written by connect differs from the config: undo can put it back. */
  canUndo: z.boolean(),
  /** Why the config could not be read, when it could not. */
  problem: z.string().optional(),
});

export const ConnectOptions = z.object({
  client: ConnectClientName,
  /** One entry per server under its own name, instead of one for all. */
  perServer: z.boolean().optional(),
  /** Leave the client's servers where they are (they stay unprotected). */
  noImport: z.boolean().optional(),
  /** The bridge command even for a client that takes a URL (no token in its config). */
  bridge: z.boolean().optional(),
});

/** What connect would do to a client's config; secrets masked, a new grant's token never shown. */
export const ConnectPreview = z.object({
  client: ConnectClientName,
  configPath: z.string(),
  changed: z.boolean(),
  /** Of the config and the change previewed: connectClient's ifUnchanged. */
  hash: z.string(),
  imports: z.array(
    z.object({
      clientName: z.string(),
      name: z.string(),
      reused: z.boolean(),
      renamed: z.string().optional(),
      config: z.record(z.string(), z.unknown()),
    }),
  ),
  kept: z.array(z.object({ clientName: z.string(), why: z.string() })),
  added: z.array(
    z.object({ name: z.string(), server: z.string().optional(), entry: z.record(z.string(), z.unknown()) }),
  ),
  present: z.array(z.string()),
  moved: z.array(z.string()),
  /** The grant connect creates (its token goes only into the config). */
  newGrant: z.string().optional(),
  /** A unified diff of the config's text, secrets masked; '' when nothing changes. */
  diff: z.string(),
  warnings: z.array(z.string()),
  /** The starting policy connect would write (policy.json is still the starter). */
  startingPolicy: z.string().optional(),
});
