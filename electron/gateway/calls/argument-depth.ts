// How deep a call's arguments may nest. Deeper arguments are refused as invalid before anything walks them
// recursively (freezing, hashing, logging): an agent must not be able to turn a 20 KB body into a stack overflow that
// leaves its call unrecorded.

/** Far more than any tool's real arguments need. */
export const MAX_ARGUMENT_DEPTH = 64;

/** Whether `value` nests objects or arrays deeper than `max` levels (walked without recursion). */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= max) return true;
    for (const child of Object.values(current)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}
