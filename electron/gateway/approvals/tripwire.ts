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

/** Why the tripwire fires for these arguments, or undefined. */
export function tripwireReason(args: unknown, targets: TripwireTargets): string | undefined {
  const home = targets.home.replace(/[\\/]+$/, '');
  const homeLower = home.toLowerCase();
  const port = String(targets.port);
  const portPattern = new RegExp(`(?:^|[^0-9])${port}(?:$|[^0-9])`);
  for (const text of strings(args)) {
    const lower = text.toLowerCase();
    if (homeLower && lower.includes(homeLower)) return `the arguments mention the Gatehouse home (${home})`;
    if (/gatehouse[\\/](policy|servers|grants|settings)\.json|[\\/]gatehouse[\\/]/i.test(text)) {
      return 'the arguments mention Gatehouse’s own files';
    }
    const config = CLIENT_CONFIGS.find((c) => lower.includes(c.toLowerCase()));
    if (config) return `the arguments mention an MCP client's config file (${config})`;
    if (portPattern.test(text) && /(localhost|127\.0\.0\.1|\[::1\]|0\.0\.0\.0|:\d|port)/i.test(text)) {
      return `the arguments mention the gateway's port ${port}`;
    }
    if (text === port) return `the arguments mention the gateway's port ${port}`;
  }
  return undefined;
}
