import { appendFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SAMPLE_FIXTURES } from '../../src/emulator/fixtures.js';

/**
 * Everything the servers under test said — log lines, response bodies, child process output — is
 * appended here, one file per jest worker, so that the global teardown can grep a whole test run for
 * secrets (test/secret-scan.mjs). Keep the folder in step with test/global-setup.mjs.
 */
export const OUTPUTS_DIR = fileURLToPath(new URL('../artifacts/outputs/', import.meta.url));

/**
 * The folder is made once per module instance, not per line: a recursive mkdir on every line cost
 * more than the write itself (0.8 s of a 100-request burst test's 21 000 log lines).
 */
let folderMade = false;

function append(extension: string, text: string): void {
  if (!folderMade) {
    mkdirSync(OUTPUTS_DIR, { recursive: true });
    folderMade = true;
  }
  appendFileSync(`${OUTPUTS_DIR}${process.pid}.${extension}`, `${text}\n`);
}

export function recordOutput(text: string): void {
  append('log', text);
}

/** A secret made up by a test (a random webhook secret or token) that the scan must also look for. */
export function registerSecret(secret: string): void {
  append('secrets', secret);
}

/** The emulator's own webhook secrets and tokens: registered by every worker that starts one. */
export function registerFixtureSecrets(): void {
  for (const hook of SAMPLE_FIXTURES.webhooks) registerSecret(hook.secret);
  for (const grant of SAMPLE_FIXTURES.tokens) registerSecret(grant.token);
}
