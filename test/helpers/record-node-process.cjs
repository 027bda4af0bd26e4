// Preloaded into every node process of an npm script under test (NODE_OPTIONS=--require …): appends
// the script it runs to $RECORD_NODE_PROCESSES, so a test can tell which programs ran (did a
// TypeScript build run?) without timing anything. CommonJS: --require loads it on every Node line.
if (process.env.RECORD_NODE_PROCESSES) {
  require('node:fs').appendFileSync(
    process.env.RECORD_NODE_PROCESSES,
    `${process.argv[1] ?? '(no script)'}\n`,
  );
}
