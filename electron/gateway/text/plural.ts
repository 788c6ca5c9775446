// Words the user reads: the lowest layer of the gateway, shared by the core and the CLI.
/** A count with its noun in the right number: "1 tool", "2 tools"; `many` where the plural is not `word` + "s". */
export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}
