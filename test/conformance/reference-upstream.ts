// Runs the reference upstream (reference-server.ts) from the tests: bundled once with esbuild into one ES module, so
// that this Node (20) starts it without a TypeScript loader, from any working directory, and quickly. Its imports
// stay external and resolve from the project's node_modules (the bundle sits in node_modules/.cache/).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { REPO_ROOT } from '../helpers/upstreams.js';
import { LISTENING } from './reference-server.js';

const SOURCE = path.join(REPO_ROOT, 'test', 'conformance', 'reference-server.ts');
// Not under .cache/gatehouse-conformance: that prefix has node_modules of its own (the suite's SDK), which would
// shadow the project's SDK for the bundle's imports.
const BUNDLE = path.join(REPO_ROOT, 'node_modules', '.cache', 'gatehouse-reference', 'reference-server.mjs');

/** Bundles reference-server.ts and returns the bundle's path. */
export function bundleReferenceServer(): string {
  fs.mkdirSync(path.dirname(BUNDLE), { recursive: true });
  buildSync({
    entryPoints: [SOURCE],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return BUNDLE;
}

/** The servers.json entry of the reference upstream over stdio, names unprefixed. */
export function referenceStdio(bundle: string) {
  return { command: process.execPath, args: [bundle, 'stdio'], toolPrefix: '' };
}

export interface ReferenceHttp {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts the reference upstream over Streamable HTTP on 127.0.0.1 (a free port) and waits until it listens. */
export function startReferenceHttp(bundle: string, timeoutMs = 15_000): Promise<ReferenceHttp> {
  const child = spawn(process.execPath, [bundle, 'http', '--port', '0'], {
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      void stop();
      reject(new Error(`reference server (HTTP) ${why}; stderr: ${stderr}`));
    };
    const timer = setTimeout(() => fail(`did not listen in ${timeoutMs} ms`), timeoutMs);
    child.once('exit', (code, signal) => fail(`exited (${code ?? signal})`));
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      stderr += text;
      // Whole lines only: the last piece may be a line still being written.
      const url = stderr
        .split('\n')
        .slice(0, -1)
        .find((line) => line.startsWith(LISTENING));
      if (url) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ url: url.slice(LISTENING.length).trim(), child, stop });
      }
    });
  });
}
