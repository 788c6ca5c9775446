// The SDK's Streamable HTTP client gives every fetch its session's AbortSignal; undici holds a listener on it per
// Request until the Request is collected, so a bench with thousands of calls trips Node's MaxListenersExceeded
// warning on that signal (bench-client side only, not the servers measured). That one warning is silenced here;
// every other warning is still printed.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name === 'MaxListenersExceededWarning' && /AbortSignal/.test(warning.message)) return;
  process.stderr.write(`${warning.name}: ${warning.message}\n`);
});
