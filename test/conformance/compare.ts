// Compares one scenario's checks through Gatehouse with the same checks run directly: a pass is not enough (the
// suite's checks are lenient: "has a text item", "got 3 log messages"), so what each check saw — the results,
// notifications, schemas and requests it records in its details — must be the same too, up to what differs by design.
import type { Check, ScenarioResult } from './suite.js';

/**
 * What may differ between a direct run and one through Gatehouse, and why:
 *  - the endpoint's own authority (`127.0.0.1:P` vs the forwarder's `[::1]:Q`) in URLs and Host/Origin;
 *  - the body answering dns-rebinding-protection's initialize, which is the endpoint's own (Gatehouse's server
 *    info and capabilities, not the upstream's);
 *  - the byte layout of an SSE event's JSON (key order), so events are compared parsed;
 *  - a log message's logger: Gatehouse names the upstream in it (`<server>/<logger>`, core/notifications.ts).
 */
function normalize(scenario: string, details: unknown, authority: string, server: string): unknown {
  const text = JSON.stringify(details ?? null)
    .split(authority)
    .join('<endpoint>');
  return JSON.parse(text, function (this: Record<string, unknown>, key, value: unknown) {
    if (scenario === 'dns-rebinding-protection' && key === 'body') return undefined;
    if (key === 'data' && this.event === 'message' && typeof value === 'string') {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        return value;
      }
    }
    if (key === 'logger' && typeof value === 'string') {
      return server && value.startsWith(`${server}/`) ? value.slice(server.length + 1) : value;
    }
    return value;
  }) as unknown;
}

/** JSON with every object's keys sorted: the same value gives the same text whatever order it was built in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export interface Endpoint {
  /** The URL the suite was given. */
  url: string;
  /** The upstream's name in servers.json behind this endpoint ("" when there is no gateway). */
  server: string;
}

/** How `gated` differs from `direct`, check by check (id, status and normalized details); [] when it does not. */
export function differences(
  direct: ScenarioResult,
  gated: ScenarioResult,
  directAt: Endpoint,
  gatedAt: Endpoint,
): string[] {
  const out: string[] = [];
  const key = (c: Check) => c.id;
  const gatedById = new Map(gated.checks.map((c) => [key(c), c]));
  for (const d of direct.checks) {
    const g = gatedById.get(key(d));
    if (!g) {
      out.push(`${d.id}: missing through Gatehouse`);
      continue;
    }
    if (g.status !== d.status) out.push(`${d.id}: ${g.status} through Gatehouse, ${d.status} directly`);
    const dn = canonical(normalize(direct.scenario, d.details, new URL(directAt.url).host, directAt.server));
    const gn = canonical(normalize(gated.scenario, g.details, new URL(gatedAt.url).host, gatedAt.server));
    if (dn !== gn) out.push(`${d.id}: details differ\n      direct:    ${dn}\n      gatehouse: ${gn}`);
  }
  for (const g of gated.checks) {
    if (!direct.checks.some((d) => key(d) === key(g))) out.push(`${g.id}: only through Gatehouse`);
  }
  return out;
}
