// A starting policy that keeps a newly connected client working: tools whose names say they read are allowed, every
// other call asks a person. Proposed only over the starter policy (`{"version":"1","default":"approve"}`), where it
// takes nothing away from a policy the user wrote. Name globs, because rules are per tool name and connect runs before
// the upstreams' tools are known.
import { isDeepStrictEqual } from 'node:util';

const READ_WORDS = ['get', 'list', 'read', 'search', 'find', 'describe', 'show', 'view'];

/** `get_*`, `get-*`, `list_*`, … each allowed. */
export const READ_RULES: Record<string, { action: 'allow' }> = Object.fromEntries(
  READ_WORDS.flatMap((word) => [`${word}_*`, `${word}-*`]).map((glob) => [glob, { action: 'allow' }]),
);

const NOTE =
  'Written by gatehouse connect: tools whose names say they read are allowed, everything else asks. Change a rule in the dashboard (Tools view) or here, then run: gatehouse policy check policy.json';

function isStarter(text: string): boolean {
  try {
    return isDeepStrictEqual(JSON.parse(text), { version: '1', default: 'approve' });
  } catch {
    return false; // not JSON: not the starter, and the gateway's own checks will say what is wrong with it
  }
}

/** The policy text with the read rules, when `text` is still the starter policy; undefined otherwise. */
export function startingPolicy(text: string): string | undefined {
  if (!isStarter(text)) return undefined;
  // The starter holds nothing but these two keys: there is no layout of the user's to keep.
  return `${JSON.stringify({ version: '1', default: 'approve', 'x-note': NOTE, tools: READ_RULES }, null, 2)}\n`;
}
