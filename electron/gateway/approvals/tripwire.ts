// The tripwire: a call whose arguments mention the Gatehouse home, an MCP client's config file, or the gateway's
// port always needs a person's approval, whatever the policy says — an agent must not edit its own gate. Pure.

export interface TripwireTargets {
  home: string;
  port: number;
}

const CLIENT_CONFIGS = [
  'claude_desktop_config.json',
  '.cursor/mcp.json',
  '.cursor\\mcp.json',
  '.vscode/mcp.json',
  'mcp_config.json',
  '.mcp.json',
  'cline_mcp_settings.json',
];

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      strings(v, out);
    }
  } else if (typeof value === 'number') out.push(String(value));
  return out;
}

const CLIENT_CONFIGS_LOWER = CLIENT_CONFIGS.map((c) => c.toLowerCase());

type Check = (args: unknown) => string | undefined;

/** The check for one set of targets, its patterns made once. */
function compile(targets: TripwireTargets): Check {
  const home = targets.home.replace(/[\\/]+$/, '');
  const homeLower = home.toLowerCase();
  const port = String(targets.port);
  const portPattern = new RegExp(`(?:^|[^0-9])${port}(?:$|[^0-9])`);
  return (args) => {
    for (const text of strings(args)) {
      const lower = text.toLowerCase();
      if (homeLower && lower.includes(homeLower)) return `the arguments mention the Gatehouse home (${home})`;
      if (/gatehouse[\\/](policy|servers|grants|settings)\.json|[\\/]gatehouse[\\/]/i.test(text)) {
        return 'the arguments mention Gatehouse’s own files';
      }
      const at = CLIENT_CONFIGS_LOWER.findIndex((c) => lower.includes(c));
      if (at >= 0) return `the arguments mention an MCP client's config file (${CLIENT_CONFIGS[at]})`;
      if (portPattern.test(text) && /(localhost|127\.0\.0\.1|\[::1\]|0\.0\.0\.0|:\d|port)/i.test(text)) {
        return `the arguments mention the gateway's port ${port}`;
      }
      if (text === port) return `the arguments mention the gateway's port ${port}`;
    }
    return undefined;
  };
}

/** The check made last: a gateway asks with the same targets on every call. */
let last: { home: string; port: number; check: Check } | undefined;

/** Why the tripwire fires for these arguments, or undefined. */
export function tripwireReason(args: unknown, targets: TripwireTargets): string | undefined {
  if (last?.home !== targets.home || last.port !== targets.port) {
    last = { home: targets.home, port: targets.port, check: compile(targets) };
  }
  return last.check(args);
}
