/**
 * The method-time scenario (issue 23): sustained demand above what the portal's method-time budget
 * gives, against the emulator's real limiter with its window scaled down (ten buckets of 0.5 s: a
 * 5 s window, 3.5 s of budget: the portal's 420 s per 600 s, 0.7 s of method time per second).
 * The scheduler is the one shipped, told the same window; lookups go straight to it (one webhook,
 * distinct ids), each with a 2 s deadline.
 *
 * Ideal sustained rate = min(budget ÷ window ÷ cost per dialog, leaky bucket 2 calls/s × 50).
 * Targets: ≥ 90 % of it, no OPERATION_TIME_LIMIT from the portal, p95 wait of answered lookups
 * within the deadline; demand beyond the budget answered at once (local refusals, with retryAt).
 */
import pino from 'pino';
import { Bitrix24Error } from '../src/bitrix/errors.js';
import { DEFAULT_BATCH_WINDOW } from '../src/bitrix/scheduler/batch-window.js';
import { DEFAULT_RETRY } from '../src/bitrix/scheduler/retry-policy.js';
import { createUpstream } from '../src/bitrix/upstream.js';
import { startEmulator } from '../src/emulator/server.js';

const BUCKET_SECONDS = 0.5;
const BUCKET_COUNT = 10;
const BUDGET_SECONDS = 3.5;
const DEMAND_PER_SECOND = 150;
const DURATION_MS = 20_000;
const DEADLINE_MS = 2_000;
const LEAKY_DIALOGS_PER_SECOND = 2 * 50;

export interface MethodTimeRow {
  readonly costMs: number;
  readonly ideal: number;
  readonly binding: 'method time' | 'leaky bucket';
  readonly measured: number;
  readonly answered: number;
  readonly refusedAtOnce: number;
  readonly refusedLate: number;
  /** Codes of the failures that were not method-time refusals made at once. */
  readonly otherCodes: string;
  readonly portalRefusals: number;
  readonly p95WaitMs: number;
  readonly p95RefusalMs: number;
  readonly calls: number;
}

const p95 = (values: number[]) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!;
};

export async function measureMethodTime(costMs: number): Promise<MethodTimeRow> {
  const emulator = await startEmulator({
    rateLimit: { capacity: 50, drainPerSecond: 2 },
    methodTime: {
      budgetSeconds: BUDGET_SECONDS,
      bucketSeconds: BUCKET_SECONDS,
      bucketCount: BUCKET_COUNT,
      costSeconds: costMs / 1000,
    },
  });
  const upstream = createUpstream({
    logger: pino({ level: 'silent' }),
    timeoutMs: 10_000,
    rps: 2,
    burst: 50,
    maxWaiting: 5000,
    retry: DEFAULT_RETRY,
    methodTimeBudgetSeconds: BUDGET_SECONDS,
    methodTimeWindow: { bucketSeconds: BUCKET_SECONDS, bucketCount: BUCKET_COUNT },
    maxAnswerBytes: 32 * 1024 * 1024,
    cacheTtlMs: 0,
    cacheMaxEntries: 0,
    batchWindow: DEFAULT_BATCH_WINDOW,
  });
  const credentials = { kind: 'webhook' as const, webhookUrl: new URL(emulator.webhookUrl()) };
  const waits: number[] = [];
  const refusalMs: number[] = [];
  let refusedLate = 0;
  const codes = new Map<string, number>();
  const pending: Array<Promise<void>> = [];
  const started = Date.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.floor(((Date.now() - started) / 1000) * DEMAND_PER_SECOND);
      for (; sent < due; sent++) {
        const askedAt = Date.now();
        const dialogId = `chat${10001 + (sent % 300)}`;
        pending.push(
          upstream.scheduler
            .lookupDialog({ credentials, dialogId, deadline: askedAt + DEADLINE_MS })
            .then(
              () => {
                waits.push(Date.now() - askedAt);
              },
              (error: unknown) => {
                const local =
                  error instanceof Bitrix24Error &&
                  error.code === 'OPERATION_TIME_LIMIT' &&
                  error.local;
                if (local) refusalMs.push(Date.now() - askedAt);
                else {
                  refusedLate++;
                  const code = error instanceof Bitrix24Error ? error.code : 'OTHER';
                  codes.set(code, (codes.get(code) ?? 0) + 1);
                }
              },
            ),
        );
      }
      if (Date.now() - started >= DURATION_MS) {
        clearInterval(timer);
        resolve();
      }
    }, 5);
  });
  await Promise.all(pending);
  upstream.scheduler.close();
  const calls = emulator.requests.filter((entry) => entry.status === 200).length;
  await emulator.close();
  const methodTimeRate = BUDGET_SECONDS / (BUCKET_SECONDS * BUCKET_COUNT) / (costMs / 1000);
  const ideal = Math.min(methodTimeRate, LEAKY_DIALOGS_PER_SECOND);
  return {
    costMs,
    ideal,
    binding: methodTimeRate < LEAKY_DIALOGS_PER_SECOND ? 'method time' : 'leaky bucket',
    measured: waits.length / (DURATION_MS / 1000),
    answered: waits.length,
    refusedAtOnce: refusalMs.length,
    refusedLate,
    otherCodes: [...codes].map(([code, count]) => `${count} ${code}`).join(', '),
    portalRefusals: emulator.stats.operationLimitRefusals,
    p95WaitMs: p95(waits),
    p95RefusalMs: p95(refusalMs),
    calls,
  };
}

export async function methodTimeSection(log: (line: string) => void): Promise<string[]> {
  const rows: MethodTimeRow[] = [];
  for (const costMs of [5, 10, 20]) {
    log(`method time: ${costMs} ms per dialog`);
    rows.push(await measureMethodTime(costMs));
  }
  const line = (row: MethodTimeRow) => {
    const share = row.measured / row.ideal;
    const misses = [
      ...(share < 0.9 ? ['rate'] : []),
      ...(row.portalRefusals > 0 ? ['OPERATION_TIME_LIMIT'] : []),
      ...(row.p95WaitMs > DEADLINE_MS ? ['p95'] : []),
    ];
    return `| ${row.costMs} ms | ${row.binding} | ${row.ideal.toFixed(0)} | ${row.measured.toFixed(1)} (${(share * 100).toFixed(0)} %) | ${row.calls} | ${row.answered} | ${row.refusedAtOnce} (p95 ${row.p95RefusalMs} ms) | ${row.refusedLate}${row.otherCodes ? ` (${row.otherCodes})` : ''} | ${row.portalRefusals} | ${row.p95WaitMs} ms | ${misses.length === 0 ? 'met' : `NOT met: ${misses.join(', ')}`} |`;
  };
  return [
    '## Method time: spending the budget at its limit (issue 23)',
    '',
    `One webhook asks ${DEMAND_PER_SECOND} distinct dialogs per second for ${DURATION_MS / 1000} s, each with a ${DEADLINE_MS / 1000} s deadline, straight to the shipped scheduler. The emulator runs the real leaky bucket (50, 2/s) and its method-time limiter with the window scaled down (${BUCKET_COUNT} buckets of ${BUCKET_SECONDS} s, ${BUDGET_SECONDS} s of budget: the portal's 420 s per 600 s), each dialog costing a fixed time; the scheduler is told the same window. Ideal = min(budget ÷ window ÷ cost per dialog, 100 dialogs/s of the leaky bucket). Targets: ≥ 90 % of the ideal, 0 OPERATION_TIME_LIMIT from the portal, p95 wait of answered lookups ≤ the deadline. Demand beyond the budget is answered at once (local OPERATION_TIME_LIMIT with retryAfter). The CPUs are shared with other work while measuring.`,
    '',
    '| cost per dialog | binding limit | ideal dialogs/s | measured dialogs/s | calls | answered | refused at once | failed otherwise | OPERATION_TIME_LIMIT from the portal | p95 wait (answered) | targets |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows.map(line),
  ];
}
