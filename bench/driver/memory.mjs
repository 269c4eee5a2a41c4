// `node --expose-gc --import ./bench/driver/memory.mjs`: a process (the gateway under the live-feed
// benchmark) that answers 'bench:memory' on its IPC channel with process.memoryUsage() taken right
// after a full garbage collection, so the heap it reports is what is still referenced.
process.on('message', (message) => {
  if (message !== 'bench:memory') return;
  globalThis.gc?.();
  process.send?.({ memory: process.memoryUsage(), collected: typeof globalThis.gc === 'function' });
});
