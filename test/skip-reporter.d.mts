/** Types of the jest reporter in skip-reporter.mjs (plain JavaScript: jest loads reporters untransformed). */
export default class SkipReporter {
  constructor(globalConfig: { readonly rootDir: string });
  onRunComplete(
    contexts: unknown,
    results: {
      readonly testResults: ReadonlyArray<{
        readonly testFilePath: string;
        readonly testResults: ReadonlyArray<{ readonly fullName: string; readonly status: string }>;
      }>;
    },
  ): void;
}
