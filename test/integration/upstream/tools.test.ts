// Tool listing: pagination, tools/list_changed (debounced re-list), and results passed through unvalidated.
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { UpstreamManager } from '../../../electron/gateway/upstream/manager.js';
import { waitFor } from '../../helpers/upstreams.js';

const PAGED_SERVER = path.join(import.meta.dirname, 'fixtures', 'paged-server.mjs');

describe('upstream tools', () => {
  it('follows nextCursor, re-lists once on list_changed, and passes odd results through', async () => {
    const manager = new UpstreamManager({
      servers: {
        mcpServers: { paged: { command: process.execPath, args: [PAGED_SERVER], toolPrefix: 'p_' } },
      },
      diagnostics: () => undefined,
    });
    onTestFinished(() => manager.stop());
    let toolsEvents = 0;
    manager.on('tools', () => toolsEvents++);
    manager.start();
    expect(await waitFor(() => manager.status()[0]?.state === 'ready', 20_000)).toBe(true);

    // Three pages of two, two and one.
    const listing = manager.tools()[0];
    expect(listing?.toolPrefix).toBe('p_');
    expect(listing?.tools.map((t) => t.name)).toEqual(['t1', 't2', 't3', 'grow', 'odd-result']);
    expect(manager.status()[0]?.toolCount).toBe(5);

    const before = toolsEvents;
    expect(await manager.callTool('paged', 'grow', {})).toEqual({
      content: [{ type: 'text', text: 'now 6 tools' }],
    });
    expect(await waitFor(() => manager.tools()[0]?.tools.length === 6, 5_000)).toBe(true);
    expect(manager.tools()[0]?.tools.at(-1)?.name).toBe('t6');
    expect(manager.status()[0]?.toolCount).toBe(6);
    // Two notifications in a row, one re-list and one event.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(toolsEvents - before).toBe(1);

    // structuredContent that breaks the declared outputSchema, and _meta, arrive exactly as sent.
    expect(await manager.callTool('paged', 'odd-result', {})).toEqual({
      content: [{ type: 'text', text: 'count is not a number here' }],
      structuredContent: { count: 'three', extra: true },
      _meta: { 'example/trace': 'abc' },
    });
  });
});
