// Preloaded into the built server (`node --import`) by test/e2e/process-safety-net.test.ts: a line on
// the child's stdin makes the kind of failure a bug would, from outside any request.
import { createInterface } from 'node:readline';

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'reject') void Promise.reject(new Error('injected rejection nobody listens to'));
  if (line === 'throw') {
    setImmediate(() => {
      throw new Error('injected uncaught exception');
    });
  }
});
