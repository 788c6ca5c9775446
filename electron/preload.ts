// The preload script: exposes only invoke(op, input) and on(event, cb) to the dashboard (filled in with the shell).
export {};
