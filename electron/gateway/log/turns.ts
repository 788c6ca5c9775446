// Long reads of the call log (a search, an export, the index, the chain's walk) run on the gateway's one thread: they
// give the event loop a turn every few milliseconds, so the calls forwarded meanwhile wait no longer than that.

/** The longest a long read holds the event loop at a time, in ms. */
const SLICE_MS = 8;

/** A turn of the event loop for everything that waits (timers aside). */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** To await between the steps of a long read: a turn once `sliceMs` have passed since the last one, else nothing. */
export function turnsEvery(sliceMs = SLICE_MS): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < sliceMs) return;
    await nextTurn();
    last = performance.now();
  };
}
