// What the generated history is made of (bench/history/generate.ts): the clients, and the tools of a busy developer's
// and an agent fleet's month — code (tools-code.ts) and operations (tools-ops.ts).
import { CODE_TOOLS } from './tools-code.js';
import { OPS_TOOLS } from './tools-ops.js';

export const GRANTS = [
  { grant: 'claude-desktop', weight: 30 },
  { grant: 'cursor', weight: 25 },
  { grant: 'ci-agent', weight: 20 },
  { grant: 'vscode', weight: 15 },
  { grant: 'nightly-batch', weight: 10 },
] as const;

export const TOOLS = [...CODE_TOOLS, ...OPS_TOOLS];
