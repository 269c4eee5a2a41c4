// `node --expose-gc --import ./bench/driver/memory.mjs`: a process (the gateway under the live-feed
// benchmark) that answers on its IPC channel: 'bench:memory' with process.memoryUsage() taken right
// after a full garbage collection, so the heap it reports is what is still referenced;
// 'bench:heap-snapshot' by writing a V8 heap snapshot to .data/bench-logs/ and naming the file.
import { writeHeapSnapshot } from 'node:v8';

process.on('message', (message) => {
  if (message === 'bench:memory') {
    globalThis.gc?.();
    process.send?.({ memory: process.memoryUsage(), collected: typeof globalThis.gc === 'function' });
  } else if (message === 'bench:heap-snapshot') {
    process.send?.({ snapshot: writeHeapSnapshot(`.data/bench-logs/gateway-${process.pid}.heapsnapshot`) });
  }
});
