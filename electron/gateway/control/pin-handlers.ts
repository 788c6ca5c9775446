// The review of tool pins (issue 19, "Tool pins, reviewed"): each listed tool's pin state, and one tool's definition as
// pinned in state/pins.json beside the one its server lists now, for the dashboard's diff. Read-only: a changed definition is accepted by approving a call
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

type PinState = 'pinned' | 'changed' | 'unpinned';

const stateOf = (pinned: Pin | undefined, current: Pin): PinState =>
  !pinned ? 'unpinned' : pinned.hash === current.hash ? 'pinned' : 'changed';

export function pinHandlers(ctx: PinContext): Pick<ControlHandlers, 'listToolPins' | 'getToolPin'> {
  const pinsFile = () => readPinsFile(path.join(ctx.paths.state, 'pins.json')) ?? {};
  return {
    listToolPins: () => {
      const pins = pinsFile();
      return {
        pins: [...ctx.names().entries()].map((e) => ({
          server: e.server,
          tool: e.tool,
          state: stateOf(pins[`${e.server}/${e.tool}`], pinOf(e.definition)),
        })),
      };
    },
    getToolPin: ({ server, tool }) => {
      const entry = [...ctx.names().entries()].find((e) => e.server === server && e.tool === tool);
      if (!entry) throw new ApiError(404, `server "${server}" lists no tool "${tool}" now`);
      const current = pinOf(entry.definition);
      const pinned = pinsFile()[`${server}/${tool}`];
      return {
        state: stateOf(pinned, current),
        ...(pinned ? { pinned: definitionText(pinned) } : {}),
        current: definitionText(current),
      };
    },
  };
}
