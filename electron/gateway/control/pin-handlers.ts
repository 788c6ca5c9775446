// The review of a tool's pin (issue 19, "Tool pins, reviewed"): its definition as pinned in state/pins.json beside the
// one its server lists now, for the dashboard's diff. Read-only: a changed definition is accepted by approving a call
// that it held (the approval accepts the pin), never by this route.
import path from 'node:path';
import type { HomePaths } from '../home/paths.js';
import type { NameTable } from '../names/name-table.js';
import { pinOf, readPinsFile, type Pin } from '../state/pins.js';
import { ApiError } from './api-error.js';
import type { ControlHandlers } from './http-adapter.js';

export interface PinContext {
  paths: HomePaths;
  names: () => NameTable;
}

const definitionText = (pin: Pin) => ({
  ...(pin.description !== undefined ? { description: pin.description } : {}),
  schema: pin.schema,
});

export function pinHandlers(ctx: PinContext): Pick<ControlHandlers, 'getToolPin'> {
  return {
    getToolPin: ({ server, tool }) => {
      const entry = [...ctx.names().entries()].find((e) => e.server === server && e.tool === tool);
      if (!entry) throw new ApiError(404, `server "${server}" lists no tool "${tool}" now`);
      const current = pinOf(entry.definition);
      const pinned = readPinsFile(path.join(ctx.paths.state, 'pins.json'))?.[`${server}/${tool}`];
      return {
        state: !pinned ? 'unpinned' : pinned.hash === current.hash ? 'pinned' : 'changed',
        ...(pinned ? { pinned: definitionText(pinned) } : {}),
        current: definitionText(current),
      };
    },
  };
}
