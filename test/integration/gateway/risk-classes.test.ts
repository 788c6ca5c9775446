// The risk classes of real servers' tools (server-everything, -filesystem, -memory), as listed over stdio: every
// reason shown, the annotations of these untrusted servers only ever raising a class.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { classifyTool } from '../../../electron/gateway/risk/classify.js';
import type { StdioServerConfig } from '../../../shared/servers.js';
import { everythingStdio, filesystemStdio, memoryStdio } from '../../helpers/upstreams.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-risk-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

async function toolsOf(config: StdioServerConfig): Promise<Tool[]> {
  const client = new Client({ name: 'risk-test', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({ command: config.command, args: config.args ?? [], stderr: 'ignore' }),
  );
  try {
    return (await client.listTools()).tools;
  } finally {
    await client.close();
  }
}

const EXPECTED: Record<string, Record<string, string>> = {
  everything: {
    echo: 'read/low',
    'get-sum': 'read/low',
    'get-env': 'read/low',
    'gzip-file-as-resource': 'open-world/medium',
    'toggle-simulated-logging': 'write/medium',
    'trigger-long-running-operation': 'execute/high',
  },
  filesystem: {
    read_text_file: 'read/low',
    list_directory: 'read/low',
    directory_tree: 'read/low',
    search_files: 'read/low',
    create_directory: 'write/medium',
    write_file: 'destructive/high',
    edit_file: 'destructive/high',
    move_file: 'destructive/high',
  },
  memory: {
    read_graph: 'read/low',
    search_nodes: 'read/low',
    open_nodes: 'read/low',
    create_entities: 'write/medium',
    add_observations: 'write/medium',
    delete_entities: 'destructive/high',
    delete_relations: 'destructive/high',
  },
};

const SERVERS: Record<string, () => StdioServerConfig> = {
  everything: () => everythingStdio(),
  filesystem: () => filesystemStdio([scratch]),
  memory: () => memoryStdio(path.join(scratch, 'memory.json')),
};

describe('risk classes of real servers', () => {
  it.each(Object.keys(EXPECTED))('%s', async (server) => {
    const tools = await toolsOf(SERVERS[server]!());
    const got = Object.fromEntries(
      tools.map((t) => {
        const risk = classifyTool(t);
        expect(risk.reasons.length).toBeGreaterThan(0);
        return [t.name, `${risk.category}/${risk.level}`];
      }),
    );
    for (const [tool, expected] of Object.entries(EXPECTED[server]!))
      expect([tool, got[tool]]).toEqual([tool, expected]);
  });

  it('shows why: the hint that raised a class, the hint ignored from an untrusted server', async () => {
    const memory = await toolsOf(SERVERS.memory!());
    const del = memory.find((t) => t.name === 'delete_entities')!;
    expect(classifyTool(del).reasons).toEqual(['name starts with delete_', 'destructiveHint: true']);
    const everything = await toolsOf(SERVERS.everything!());
    const trigger = everything.find((t) => t.name === 'trigger-long-running-operation')!;
    expect(classifyTool(trigger).reasons).toContain(
      'readOnlyHint: true ignored (server not in trustedServers)',
    );
    expect(classifyTool(trigger, { trusted: true }).category).toBe('read');
  });
});
