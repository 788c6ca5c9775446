// Tool pins as the Tools view shows them: each tool's pin state by `<server>/<tool>`, and a definition as text for the
// line diff of a changed one (its description, then its schemas, annotations and title as indented JSON). Pure.
import type { OperationOutput } from '../../../shared/api/operations';

type PinList = OperationOutput<'listToolPins'>['pins'];
export type PinState = PinList[number]['state'];
type Definition = OperationOutput<'getToolPin'>['current'];

export const pinKey = (server: string, tool: string) => `${server}/${tool}`;

/** The tools whose definition is not as pinned (changed) or not pinned yet; a pinned tool needs no mark. */
export function unsettledPins(pins: PinList | undefined): ReadonlyMap<string, Exclude<PinState, 'pinned'>> {
  const out = new Map<string, Exclude<PinState, 'pinned'>>();
  for (const pin of pins ?? []) if (pin.state !== 'pinned') out.set(pinKey(pin.server, pin.tool), pin.state);
  return out;
}

export function definitionText(definition: Definition): string {
  let schema: string;
  try {
    schema = JSON.stringify(JSON.parse(definition.schema), null, 2);
  } catch {
    schema = definition.schema;
  }
  return `description: ${definition.description ?? '(none)'}\n${schema}\n`;
}
