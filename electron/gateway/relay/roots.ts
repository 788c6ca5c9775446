// Roots an upstream may see come from servers.json (its `roots` key), never from the clients' own roots.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ListRootsResult } from '@modelcontextprotocol/sdk/types.js';
import type { ServerConfig } from '../../../shared/servers.js';

export function rootsOf(config: ServerConfig | undefined): ListRootsResult {
  const roots = (config?.roots ?? []).map((root) => {
    const uri = /^[a-z][a-z0-9+.-]*:\/\//i.test(root) ? root : pathToFileURL(path.resolve(root)).href;
    return { uri, name: path.basename(root) || root };
  });
  return { roots };
}
