// The soak's home: two upstreams (server-everything over stdio as "ev", server-memory as "mem") and a policy with
// allowed, denied and rate-limited tools, rewritten under load as an equivalent policy with a new version.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const everything = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');
const memory = require.resolve('@modelcontextprotocol/server-memory/dist/index.js');

export const SOAK_GRANT = 'soak';
export const UPSTREAMS = ['ev', 'mem'];

/** The global limit of ev__get-tiny-image and the per-session limit of mem__search_nodes, checked in the log. */
export const LIMITS = {
  'get-tiny-image': { counter: 'tiny', windowMs: 1000, max: 20, scope: 'global' },
  search_nodes: { counter: 'searches', windowMs: 10_000, max: 5, scope: 'session' },
};

/** Tools the policy denies: no call of theirs may be answered by the upstream. */
export const DENIED_TOOLS = new Set(['get-env', 'delete_entities']);

/** The policy; `generation` only changes an `x-` key, so every reload means the same and has a new version. */
function policyText(generation) {
  const policy = {
    version: '1',
    default: 'deny',
    'x-soak-generation': generation,
    tools: {
      'get-env': { action: 'deny', reason: 'soak: get-env is denied' },
      'delete_*': { action: 'deny', reason: 'soak: nothing is deleted' },
    },
    servers: {
      ev: {
        tools: {
          echo: { action: 'allow' },
          'get-sum': { action: 'allow' },
          'get-tiny-image': {
            limits: [
              { counter: 'tiny', window: 'second', max: LIMITS['get-tiny-image'].max, scope: 'global' },
            ],
          },
        },
      },
      mem: {
        tools: {
          read_graph: { action: 'allow' },
          search_nodes: {
            limits: [
              {
                counter: 'searches',
                window: { seconds: 10 },
                max: LIMITS.search_nodes.max,
                scope: 'session',
              },
            ],
          },
        },
      },
    },
  };
  return `${JSON.stringify(policy, null, 2)}\n`;
}

/** Writes the policy as the gateway's own writes do: a whole new file renamed over the old one. */
export function writePolicy(home, generation) {
  const file = path.join(home, 'policy.json');
  const temporary = `${file}.soak-${generation}`;
  fs.writeFileSync(temporary, policyText(generation), { mode: 0o600 });
  fs.renameSync(temporary, file);
}

export function writeHome(home) {
  writePolicy(home, 0);
  const servers = {
    mcpServers: {
      ev: { command: process.execPath, args: [everything, 'stdio'] },
      mem: {
        command: process.execPath,
        args: [memory],
        env: { MEMORY_FILE_PATH: path.join(home, 'memory.jsonl') },
      },
    },
  };
  fs.writeFileSync(path.join(home, 'servers.json'), JSON.stringify(servers, null, 2), { mode: 0o600 });
}
