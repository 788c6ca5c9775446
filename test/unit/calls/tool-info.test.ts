// The approval card's risk of a tool follows trustedServers as the catalog does: only a trusted server's hints lower it.
import { describe, expect, it } from 'vitest';
import { describeTool } from '../../../electron/gateway/calls/tool-info.js';
import { buildNameTable } from '../../../electron/gateway/names/name-table.js';

const table = buildNameTable([
  {
    server: 'ops',
    tools: [
      {
        name: 'prune_images',
        description: 'Removes unused images',
        inputSchema: { type: 'object' },
        annotations: { readOnlyHint: true },
      },
    ],
  },
]);

describe('describeTool', () => {
  it('ignores an untrusted server’s read-only hint and takes a trusted one’s', () => {
    const untrusted = describeTool(table, 'ops', 'prune_images', false);
    const trusted = describeTool(table, 'ops', 'prune_images', true);
    expect(untrusted.description).toBe('Removes unused images');
    expect(untrusted.risk.category).not.toBe('read');
    expect(trusted.risk.category).toBe('read');
  });
});
