// An error in words: its message and its causes' (fetch and node:net put the useful part, ECONNREFUSED, in `cause`).

/** The message of an error and of its causes, joined with ": "; "unknown error" when there is none. */
export function errorText(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && current !== null && depth < 4; depth++) {
    const message = current instanceof Error ? current.message : String(current);
    if (message && !parts.includes(message)) parts.push(message);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(': ') || 'unknown error';
}
