// The policy engine: policy.json parsed, checked and compiled, and decide() — the verdict on each tools/call.
// Pure functions over plain data; the counters it reads are the only state, kept by the caller.
export * from './types.js';
export * from './load.js';
export * from './compile.js';
export * from './decide.js';
export * from './counters.js';
export * from './check.js';
