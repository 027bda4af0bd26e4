/**
 * `npm run emulator`: the Bitrix24 REST emulator alone, for exploring the REST protocol by hand or
 * pointing another server at it. Port from EMULATOR_PORT (default 4010), answer generation from
 * EMULATOR_GENERATION (`modern` or `old`), optional leaky bucket from EMULATOR_RPS/EMULATOR_BURST,
 * optional delay before every answer from EMULATOR_LATENCY_MS, the method-time budget (seconds
 * per app or webhook × method per 10 minutes, 420 by the portal's default) from
 * EMULATOR_METHOD_BUDGET_S, where `off` means no method time is counted at all (for throughput
 * benchmarks), and the seconds every run costs from EMULATOR_METHOD_COST_S (default: by chat size,
 * a few ms for small chats and ~0.3 s for the 3 000-member chat 60; a request's runs of one method
 * are summed and the sum counts when over 0.1 s).
 * EMULATOR_FIXTURES names a JSON file of users, chats, webhooks and tokens to serve instead of the
 * sample portal's (the benchmark gives it hundreds of callers and a thousand chats).
 */
import { readFileSync } from 'node:fs';
import { DEMO_TOKENS, type Fixtures } from './fixtures.js';
import { startEmulator } from './server.js';

function positiveNumber(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`${name} must be a positive number`);
    process.exit(1);
  }
  return value;
}

function fixturesFromFile(): Fixtures | undefined {
  const path = process.env.EMULATOR_FIXTURES;
  if (path === undefined || path === '') return undefined;
  try {
    const fixtures = JSON.parse(readFileSync(path, 'utf8')) as Fixtures;
    if (![fixtures.users, fixtures.chats, fixtures.webhooks, fixtures.tokens].every(Array.isArray))
      throw new Error('users, chats, webhooks and tokens must be lists');
    return fixtures;
  } catch (error) {
    console.error(`EMULATOR_FIXTURES: cannot use ${path}: ${(error as Error).message}`);
    process.exit(1);
  }
}

const fixtures = fixturesFromFile();
const port = positiveNumber('EMULATOR_PORT') ?? 4010;
const generation = process.env.EMULATOR_GENERATION === 'old' ? 'old' : 'modern';
const rps = positiveNumber('EMULATOR_RPS');
const burst = positiveNumber('EMULATOR_BURST');
const latencyMs = positiveNumber('EMULATOR_LATENCY_MS');
const methodTimeOff = process.env.EMULATOR_METHOD_BUDGET_S === 'off';
const methodBudget = methodTimeOff ? undefined : positiveNumber('EMULATOR_METHOD_BUDGET_S');
const methodCost = methodTimeOff ? undefined : positiveNumber('EMULATOR_METHOD_COST_S');
const emulator = await startEmulator({
  port,
  host: process.env.EMULATOR_HOST ?? '127.0.0.1',
  generation,
  ...(fixtures ? { fixtures } : {}),
  ...(latencyMs !== undefined ? { latencyMs } : {}),
  methodTime: methodTimeOff
    ? { budgetSeconds: Number.POSITIVE_INFINITY, costSeconds: 0 }
    : {
        budgetSeconds: methodBudget ?? 420,
        ...(methodCost !== undefined ? { costSeconds: methodCost } : {}),
      },
  ...(rps !== undefined ? { rateLimit: { drainPerSecond: rps, capacity: burst ?? 50 } } : {}),
});
console.log(`Bitrix24 emulator (${generation} answers) at ${emulator.url}`);
console.log(`  webhook:      ${emulator.webhookUrl()}`);
console.log(`  OAuth portal: ${emulator.url}/  tokens: ${Object.values(DEMO_TOKENS).join(', ')}`);
console.log(
  `  try: curl -s -H 'content-type: application/json' -d '{"DIALOG_ID":"chat21191"}' ${emulator.webhookUrl()}im.dialog.get`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void emulator.close().then(() => process.exit(0));
  });
}
