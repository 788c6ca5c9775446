// `gatehouse tools` against a running gateway (in-process: the CLI runs async, a spawnSync would block the gateway).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolInfo } from '../../../shared/api/operations.js';
import { formatToolsTable } from '../../../electron/cli/tools.js';
import {
  runCli,
  everythingStdio,
  makeHome,
  startGateway,
  type TestHome,
} from '../../helpers/gateway-fixture.js';

const policy = {
  version: '1',
  default: 'approve',
  tools: { echo: { action: 'allow' }, 'get-env': { action: 'deny', reason: 'private' } },
};

describe('gatehouse tools', () => {
  let home: TestHome;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    home = makeHome({ servers: { ev: everythingStdio() }, policy });
    const { gateway } = await startGateway(home, ['ev']);
    stop = () => gateway.stop();
  });
  afterAll(async () => {
    await stop?.();
    home?.cleanup();
  });

  it('prints the catalog: exposed name, action, deciding rule, risk and pin', async () => {
    const { code, stdout } = await runCli(home.home, 'tools');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^TOOL\s+ACTION\s+RULE\s+RISK\s+PIN$/);
    expect(lines.find((l) => l.startsWith('ev__echo '))).toMatch(
      /^ev__echo\s+allow\s+tools\["echo"\]\s+Read\/low\s+pinned$/,
    );
    expect(lines.find((l) => l.startsWith('ev__get-env '))).toMatch(
      /\s+deny\s+tools\["get-env"\]\s+Read\/low/,
    );
    expect(lines.find((l) => l.startsWith('ev__get-sum '))).toMatch(/\s+approve\s+default\s+/);
    expect(stdout).toContain('    risk: name is echo');
    expect(stdout).toMatch(/\n\d+ tools\n$/);
  });

  it('prints JSON and keeps to one server with --server', async () => {
    const { stdout } = await runCli(home.home, 'tools', '--server', 'ev', '--json');
    const { tools } = JSON.parse(stdout) as { tools: ToolInfo[] };
    expect(tools.length).toBeGreaterThan(3);
    expect(tools.every((t) => t.server === 'ev')).toBe(true);
    expect(tools.find((t) => t.tool === 'echo')).toMatchObject({
      action: 'allow',
      risk: { category: 'read' },
    });
    const none = await runCli(home.home, 'tools', '--server', 'nope');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no tools of a server named "nope"');
  });

  it('takes the annotations of a server in trustedServers as they say', async () => {
    const trusting = makeHome({
      servers: { ev: everythingStdio() },
      policy,
      settings: { trustedServers: ['ev'] },
    });
    const { gateway } = await startGateway(trusting, ['ev']);
    try {
      const risk = async (h: string) => {
        const { stdout } = await runCli(h, 'tools', '--json');
        return (JSON.parse(stdout) as { tools: ToolInfo[] }).tools.find(
          (t) => t.tool === 'trigger-long-running-operation',
        )?.risk;
      };
      expect(await risk(trusting.home)).toMatchObject({
        category: 'read',
        reasons: expect.arrayContaining(['readOnlyHint: true (trusted server)']) as unknown,
      });
      expect(await risk(home.home)).toMatchObject({ category: 'execute', level: 'high' });
    } finally {
      await gateway.stop();
      trusting.cleanup();
    }
  });

  it('says plainly when no gateway runs', async () => {
    const empty = makeHome();
    try {
      const { code, stderr } = await runCli(empty.home, 'tools');
      expect(code).toBe(1);
      expect(stderr).toMatch(/^gatehouse: no gateway is running on .*: start one with "gatehouse serve"/);
    } finally {
      empty.cleanup();
    }
  });

  it('writes out control and hidden characters of upstream names and descriptions', () => {
    const tool: ToolInfo = {
      server: 'ev',
      tool: 'x',
      exposedName: 'ev__x\u001b[2J',
      description: 'Lists\nthings\u202e evil',
      rule: 'default',
      action: 'allow',
      risk: { category: 'read', level: 'low', reasons: ['description starts with "Lists"'] },
      quota: [],
    };
    const out = formatToolsTable([tool]);
    expect([...out].filter((c) => (c < ' ' && c !== '\n') || c === '\u202e')).toEqual([]);
    expect(out).toContain('"Lists things');
  });
});
