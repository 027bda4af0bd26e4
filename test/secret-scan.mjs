// Jest's global teardown: greps every log line, response body and process output of the whole run
// (captured by test/helpers/outputs.ts) for every secret the run used (the emulator's webhook secrets
// and OAuth tokens, and the random ones tests made up), and fails the run on any hit.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { OUTPUTS_DIR } from './global-setup.mjs';

export default function secretScan() {
  if (!existsSync(OUTPUTS_DIR)) return;
  const files = readdirSync(OUTPUTS_DIR);
  const read = (extension) =>
    files
      .filter((file) => file.endsWith(extension))
      .map((file) => readFileSync(new URL(file, OUTPUTS_DIR), 'utf8'));
  const secrets = new Set(
    read('.secrets')
      .flatMap((text) => text.split('\n'))
      .filter((line) => line !== ''),
  );
  const outputs = read('.log');
  const lines = outputs.reduce((total, text) => total + text.split('\n').length - 1, 0);
  const hits = [...secrets].filter((secret) => outputs.some((text) => text.includes(secret)));
  if (hits.length > 0) {
    const shown = hits
      .map((secret) => `${secret.slice(0, 4)}… (${secret.length} chars)`)
      .join(', ');
    throw new Error(
      `secret scan: ${hits.length} secret(s) found in this run's logs or responses: ${shown}; see ${OUTPUTS_DIR.pathname}`,
    );
  }
  if (lines > 0)
    console.log(
      `\nsecret scan: ${secrets.size} secrets, ${lines} lines of logs and responses, no hit`,
    );
}
