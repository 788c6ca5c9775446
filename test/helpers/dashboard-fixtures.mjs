// Shared by the dashboard's browser tests and its benchmark (plain JS so both .ts tests and .mjs bench import it):
// how Debian's Chromium is started here, and a long call log to seed a home with.
import fs from 'node:fs';
import path from 'node:path';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Writes `records` calls into one day file two days back: inside the retention period, outside the counters' rebuild
 * window. Statuses cycle through ok, denied, rate_limited, ok, error; every third call is from grant "cursor".
 */
export function seedLongLog(home, records, grant) {
  const day = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
  const start = Date.parse(`${day}T00:00:00.000Z`);
  const statuses = ['ok', 'denied', 'rate_limited', 'ok', 'error'];
  const lines = [];
  for (let i = 0; i < records; i++) {
    const status = statuses[i % 5];
    lines.push(
      JSON.stringify({
        id: `rec-${i}`,
        ts: new Date(start + i * 500).toISOString(),
        grant: i % 3 === 0 ? 'cursor' : grant,
        session: 's',
        server: 'ev',
        tool: 'get-sum',
        exposedName: 'ev__get-sum',
        arguments: { a: i, b: 1 },
        argsHash: 'h',
        decision: status === 'denied' ? 'deny' : 'allow',
        rule: 'default',
        reason: '',
        policyVersion: 'v',
        status,
        durationMs: i % 97,
      }),
    );
  }
  fs.mkdirSync(path.join(home, 'logs'), { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(home, 'logs', `${day}.jsonl`), `${lines.join('\n')}\n`, { mode: 0o600 });
}
