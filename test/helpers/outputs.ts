import { mkdirSync, openSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SAMPLE_FIXTURES } from '../../src/emulator/fixtures.js';

/**
 * Everything the servers under test said — log lines, response bodies, child process output — is
 * appended here, one file per jest worker, so that the global teardown can grep a whole test run for
 * secrets (test/secret-scan.mjs). Keep the folder in step with test/global-setup.mjs.
 */
export const OUTPUTS_DIR = fileURLToPath(new URL('../artifacts/outputs/', import.meta.url));

/**
 * One file descriptor per extension, opened (and the folder made) once per module instance: a
 * recursive mkdir and an open/close on every line cost more than the write itself (1.4 s of CPU in
 * logging's 100-request burst test, 21 000 lines). Writes stay synchronous and unbuffered, so a
 * worker that is killed has still written every line before it. The descriptors close when the
 * worker exits (jest loads this module afresh for each test file: a few per file, never many).
 */
const descriptors = new Map<string, number>();

function append(extension: string, text: string): void {
  let descriptor = descriptors.get(extension);
  if (descriptor === undefined) {
    mkdirSync(OUTPUTS_DIR, { recursive: true });
    descriptor = openSync(`${OUTPUTS_DIR}${process.pid}.${extension}`, 'a');
    descriptors.set(extension, descriptor);
  }
  writeSync(descriptor, `${text}\n`);
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
