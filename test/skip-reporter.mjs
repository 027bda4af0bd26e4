// A jest reporter beside the default one: at the end of a run it says which tests were skipped and
// why, from the reason test/helpers/requirements.ts puts in a skipped block's title. Tests that were
// left out by a -t filter, .skip or .todo are counted on one line.
import { relative } from 'node:path';

const REASON = /\[skipped: ([^\]]+)\]/;

export default class SkipReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const reasons = new Map();
    let unexplained = 0;
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        if (test.status !== 'pending' && test.status !== 'skipped' && test.status !== 'todo')
          continue;
        const reason = REASON.exec(test.fullName)?.[1];
        if (reason === undefined) {
          unexplained += 1;
          continue;
        }
        const key = `${relative(this.rootDir, file.testFilePath)}: ${reason}`;
        reasons.set(key, (reasons.get(key) ?? 0) + 1);
      }
    }
    if (reasons.size === 0 && unexplained === 0) return;
    const lines = [...reasons].map(([key, count]) => `  ${count} skipped in ${key}`);
    if (unexplained > 0) lines.push(`  ${unexplained} skipped by a -t filter, .skip or .todo`);
    console.log(`\nSkipped tests:\n${lines.join('\n')}`);
  }
}
