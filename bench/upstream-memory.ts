/**
 * Hostile upstream answers against the server's memory (issue 21, item 3): a 10 MiB answer nested
 * `[[[[…]]]]`, and 20 concurrent 31 MB answers (each under the 32 MiB cap). The emulator serves
 * them as faults (`deep-nesting`, `large-answer`); the server runs as shipped in OAuth mode, each
 * request with its own bearer token, so that no two requests share an upstream call. The server's
 * RSS is sampled every 20 ms while the requests run.
 *
 * `BENCH_ONLY=upstream-memory npm run bench` runs just this section and prints it.
 */
import { fileURLToPath } from 'node:url';
import { startChild, type Child } from './children.js';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const EMULATOR = here('../src/emulator/main.js');
const SERVER = here('./server-process.js');

const QUERY = JSON.stringify({ query: '{ dialog(id: "chat7") { __typename } }' });
const MIB = 1024 * 1024;

export interface MemoryRun {
  readonly scenario: string;
  readonly rssBeforeMiB: number;
  readonly rssPeakMiB: number;
  readonly lastAnswerMs: number;
  readonly outcomes: string;
  readonly upstreamCalls: number;
}

async function control(emulator: Child, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`http://127.0.0.1:${emulator.port}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return response.json();
}

async function upstreamCalls(emulator: Child): Promise<number> {
  const count = ((await control(emulator, '/_emulator/requests')) as unknown[]).length;
  await fetch(`http://127.0.0.1:${emulator.port}/_emulator/requests`, { method: 'DELETE' });
  return count;
}

/** What one request was answered: the dialog's type, or the error codes. */
async function ask(server: Child, token: string): Promise<string> {
  try {
    const response = await fetch(`http://127.0.0.1:${server.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: QUERY,
    });
    const body = (await response.json()) as {
      data?: { dialog?: { __typename: string } | null };
      errors?: Array<{ extensions?: { code?: string; upstreamCode?: string } }>;
    };
    if (body.data?.dialog) return body.data.dialog.__typename;
    const error = body.errors?.[0]?.extensions;
    return `${error?.code ?? 'no answer'}${error?.upstreamCode ? ` ${error.upstreamCode}` : ''}`;
  } catch (error) {
    return `failed (${(error as Error).message})`;
  }
}

async function run(
  freePort: () => Promise<number>,
  scenario: string,
  fault: { kind: string; times: number; answerBytes: number },
  concurrent: number,
): Promise<MemoryRun> {
  const emulator = await startChild(EMULATOR, {
    EMULATOR_PORT: String(await freePort()),
    EMULATOR_METHOD_BUDGET_S: 'off',
  });
  const server = await startChild(
    SERVER,
    {
      PORT: String(await freePort()),
      BITRIX24_PORTAL_URL: `http://127.0.0.1:${emulator.port}`,
      BITRIX24_RPS: '1000000',
      BITRIX24_BURST: '2000000',
      // 31 MB of JSON takes seconds to parse on 2 shared CPUs: time enough for all of them.
      BITRIX24_TIMEOUT_MS: '120000',
      REQUEST_DEADLINE_MS: '180000',
      LOG_LEVEL: 'warn',
    },
    ['--expose-gc'],
  );
  try {
    // Warm up: one ordinary answer, and one of the fault's, which the emulator builds on first use.
    await ask(server, 'warm-up-token');
    await control(emulator, '/_emulator/faults', { ...fault, times: 1 });
    await ask(server, 'warm-up-token');
    await control(emulator, '/_emulator/faults', fault);
    await upstreamCalls(emulator);
    const rssBefore = (await server.memoryAfterGc()).rss;
    let peak = server.rss();
    const sampler = setInterval(() => {
      peak = Math.max(peak, server.rss());
    }, 20);
    const started = performance.now();
    const outcomes = await Promise.all(
      Array.from({ length: concurrent }, (_, index) => ask(server, `bench-token-${index}`)),
    );
    const lastAnswerMs = performance.now() - started;
    clearInterval(sampler);
    peak = Math.max(peak, server.rss());
    const counted = new Map<string, number>();
    for (const outcome of outcomes) counted.set(outcome, (counted.get(outcome) ?? 0) + 1);
    return {
      scenario,
      rssBeforeMiB: rssBefore / MIB,
      rssPeakMiB: peak / MIB,
      lastAnswerMs,
      outcomes: [...counted].map(([outcome, count]) => `${count} × ${outcome}`).join(', '),
      upstreamCalls: await upstreamCalls(emulator),
    };
  } finally {
    await server.stop();
    await emulator.stop();
  }
}

export async function upstreamMemoryRows(freePort: () => Promise<number>): Promise<MemoryRun[]> {
  return [
    // Four answers: the first attempt and the three retries a retryable failure gets.
    await run(
      freePort,
      'one 10 MiB answer nested [[[[…]]]]',
      { kind: 'deep-nesting', times: 4, answerBytes: 10 * MIB },
      1,
    ),
    await run(
      freePort,
      '20 concurrent 31 MB answers',
      { kind: 'large-answer', times: 20, answerBytes: 31_000_000 },
      20,
    ),
  ];
}

export function upstreamMemoryTable(rows: readonly MemoryRun[]): string[] {
  const mib = (value: number) => `${value.toFixed(0)} MiB`;
  return [
    '| scenario | RSS before | RSS peak | last answer | answers | upstream calls |',
    '| --- | ---: | ---: | ---: | --- | ---: |',
    ...rows.map(
      (row) =>
        `| ${row.scenario} | ${mib(row.rssBeforeMiB)} | ${mib(row.rssPeakMiB)} | ${(row.lastAnswerMs / 1000).toFixed(1)} s | ${row.outcomes} | ${row.upstreamCalls} |`,
    ),
  ];
}
