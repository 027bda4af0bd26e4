import { afterEach, describe, expect, it, jest } from '@jest/globals';
import SkipReporter from '../skip-reporter.mjs';
import { SKIP_MARK } from '../helpers/requirements.js';

function result(fullName: string, status: string) {
  return { fullName, status };
}

function run(
  tests: Array<{ file: string; tests: Array<{ fullName: string; status: string }> }>,
): string {
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  new SkipReporter({ rootDir: '/repo' }).onRunComplete(new Set(), {
    testResults: tests.map(({ file, tests }) => ({
      testFilePath: `/repo/${file}`,
      testResults: tests,
    })),
  });
  return log.mock.calls.map((call) => call.join(' ')).join('\n');
}

describe('the skip reporter says why tests were skipped', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('names the file and the reason a block was skipped for, once per reason', () => {
    const title = `several replicas share one portal through Redis [${SKIP_MARK}/usr/bin/redis-server is missing (apt-get install redis-server)]`;
    const output = run([
      {
        file: 'test/e2e/replicas.test.ts',
        tests: [result(`${title} a`, 'pending'), result(`${title} b`, 'pending')],
      },
      {
        file: 'test/e2e/dialog.test.ts',
        tests: [result('dialogs work', 'passed')],
      },
    ]);
    expect(output).toContain(
      '2 skipped in test/e2e/replicas.test.ts: /usr/bin/redis-server is missing (apt-get install redis-server)',
    );
  });

  it('counts tests skipped without a stated reason (a -t filter, .skip, .todo)', () => {
    expect(
      run([
        {
          file: 'test/unit/x.test.ts',
          tests: [result('x one', 'pending'), result('x two', 'todo'), result('x three', 'passed')],
        },
      ]),
    ).toContain('2 skipped by a -t filter, .skip or .todo');
  });

  it('says nothing when nothing was skipped', () => {
    expect(run([{ file: 'test/unit/x.test.ts', tests: [result('x', 'passed')] }])).toBe('');
  });
});
