import { describe } from '@jest/globals';

/** Marks the title of a block skipped for a missing requirement; test/skip-reporter.mjs reads it. */
export const SKIP_MARK = 'skipped: ';

/**
 * A describe block that needs something from outside the project (a Debian package). When it is
 * missing outside CI the block is skipped, and its title carries why (`… [skipped: <reason>]`), so that
 * the run's closing lines name the reason (test/skip-reporter.mjs) instead of a bare "N skipped". In
 * CI (`CI=true`; .ci/run installs the packages) the block always runs, and fails if it is missing.
 */
export function describeWhenAvailable(
  title: string,
  available: boolean,
  missing: string,
  body: () => void,
): void {
  if (available || process.env.CI === 'true') describe(title, body);
  else describe.skip(`${title} [${SKIP_MARK}${missing}]`, body);
}
