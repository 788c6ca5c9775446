// The review of tool pins (issue 19, "Tool pins, reviewed"): each listed tool's pin state, and one tool's definition as
// pinned in state/pins.json beside the one its server lists now, for the dashboard's diff; and a person's acceptance of
// a changed definition (as approving a call it held does).
import path from 'node:path';
import type { HomePaths } from '../home/paths.js';
import type { NameTable } from '../names/name-table.js';
import { pinOf, readPinsFile, type Pin } from '../state/pins.js';
import { ApiError } from './api-error.js';
import type { ControlHandlers } from './http-adapter.js';

export interface PinContext {
  paths: HomePaths;
  names: () => NameTable;
  /** The gateway's pins: the changed definition becomes the pin. */
  acceptPin: (server: string, tool: string) => void;
  /** The pinned tool this new one was renamed from, while not accepted. */
  renamedFrom: (server: string, tool: string) => string | undefined;
}

const definitionText = (pin: Pin) => ({
  ...(pin.description !== undefined ? { description: pin.description } : {}),
  schema: pin.schema,
});

type PinState = 'pinned' | 'changed' | 'renamed' | 'unpinned';

const stateOf = (pinned: Pin | undefined, current: Pin, renamedFrom: string | undefined): PinState =>
  renamedFrom !== undefined
    ? 'renamed'
    : !pinned
      ? 'unpinned'
      : pinned.hash === current.hash
        ? 'pinned'
        : 'changed';

export function pinHandlers(
  ctx: PinContext,
): Pick<ControlHandlers, 'listToolPins' | 'getToolPin' | 'acceptToolPin'> {
  const pinsFile = () => readPinsFile(path.join(ctx.paths.state, 'pins.json')) ?? {};
  const review = (server: string, tool: string) => {
    const entry = [...ctx.names().entries()].find((e) => e.server === server && e.tool === tool);
    if (!entry) throw new ApiError(404, `server "${server}" lists no tool "${tool}" now`);
    const current = pinOf(entry.definition);
    const pinned = pinsFile()[`${server}/${tool}`];
    const renamedFrom = ctx.renamedFrom(server, tool);
    return {
      state: stateOf(pinned, current, renamedFrom),
      ...(renamedFrom !== undefined ? { renamedFrom } : {}),
      ...(pinned ? { pinned: definitionText(pinned) } : {}),
      current: definitionText(current),
    };
  };
  return {
    listToolPins: () => {
      const pins = pinsFile();
      return {
        pins: [...ctx.names().entries()].map((e) => ({
          server: e.server,
          tool: e.tool,
          state: stateOf(
            pins[`${e.server}/${e.tool}`],
            pinOf(e.definition),
            ctx.renamedFrom(e.server, e.tool),
          ),
        })),
      };
    },
    getToolPin: ({ server, tool }) => review(server, tool),
    acceptToolPin: ({ server, tool }) => {
      review(server, tool); // 404 for a tool its server does not list now
      ctx.acceptPin(server, tool);
      return review(server, tool);
    },
  };
}
