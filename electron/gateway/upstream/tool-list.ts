// An upstream's whole tool list: every page of tools/list, as the server gives them.
import { ListToolsResultSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';
import type { UpstreamClient } from './client.js';

const MAX_TOOL_PAGES = 100;

export async function listAllTools(client: UpstreamClient, timeoutMs: number): Promise<Tool[]> {
  const tools: Tool[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_TOOL_PAGES; page++) {
    const result = await client.request(
      { method: 'tools/list', params: cursor !== undefined ? { cursor } : {} },
      ListToolsResultSchema,
      { timeoutMs },
    );
    tools.push(...result.tools);
    cursor = result.nextCursor;
    // A server that repeats a cursor would loop forever.
    if (cursor === undefined || seen.has(cursor)) break;
    seen.add(cursor);
  }
  return tools;
}
