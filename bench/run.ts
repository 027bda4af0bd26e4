/**
 * `npm run bench`: measures what the server is for, against the project's Bitrix24 emulator on
 * loopback, prints the tables and writes them to bench/results.md. Bounded: it gives up after 5 min.
 *
 * 1. Upstream efficiency: N distinct dialogs in one operation (aliases, dialogs(ids:), _entities)
 *    against a portal with 50 ms per call and the real leaky bucket, beside a naive client.
 * 2. Server overhead: one-dialog queries at 50 connections, beside a bare node:http proxy, plus the
 *    before/after rows of the optimisations kept.
 * 3. Memory: RSS before and after 100 000 requests.
 * 4. The optional cross-request cache.
 * 5. Replicas sharing one portal's budget through Redis (when redis-server is installed).
 *
 * Before them: the scheduler against the ideal schedule (BENCH_ONLY=scheduler: just that), and a
 * flood of random bearer tokens beside an accepted user (BENCH_ONLY=flood: just that).
 * Also: a burst of 500 requests × 200 ids against admission control (BENCH_ONLY=burst: just that).
 */
import { cpus } from 'node:os';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/helpers/process.js';
import { startChild, type Child } from './children.js';
import { measureNaive, measureServer, type EfficiencyRow, type Mode } from './efficiency.js';
import { floodSection } from './flood.js';
import { load, ONE_DIALOG_QUERY, type LoadResult } from './load.js';
import { peopleSection } from './people.js';
import { replicaRows } from './replicas.js';
import { methodTimeSection } from './method-time.js';
import { burstSection } from './burst-section.js';
import { schedulerSection } from './scheduler-section.js';
import { upstreamMemoryRows, upstreamMemoryTable } from './upstream-memory.js';
import type { Knobs } from './server-process.js';

/** The whole bench takes ~15 minutes here (the scheduler section most of it); past 25 something hangs. */
const TIME_LIMIT_MS = 1_500_000;
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const EMULATOR = here('../src/emulator/main.js');
const SERVER = here('./server-process.js');
const BARE_PROXY = here('./bare-proxy.js');
const RESULTS = fileURLToPath(new URL('../../bench/results.md', import.meta.url));

const watchdog = setTimeout(() => {
  console.error(`bench: over ${TIME_LIMIT_MS / 1000} s, giving up`);
  process.exit(1);
}, TIME_LIMIT_MS);

const ms = (value: number) =>
  value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const log = (text: string) => process.stdout.write(`${text}\n`);

async function startServer(
  emulator: Child,
  knobs: Knobs = {},
  env: Record<string, string> = {},
): Promise<Child> {
  return startChild(
    SERVER,
    {
      PORT: String(await freePort()),
      BITRIX24_WEBHOOK_URL: `http://127.0.0.1:${emulator.port}/rest/1/demo0webhook0secret/`,
      // Overhead is measured without pacing: the emulator has no rate limit in this part.
      BITRIX24_RPS: '1000000',
      BITRIX24_BURST: '2000000',
      LOG_LEVEL: 'info',
      BENCH_KNOBS: JSON.stringify(knobs),
      ...env,
    },
    ['--expose-gc'],
  );
}

async function measureLoad(
  target: Child,
  path: string,
  body: string,
  seconds: number,
): Promise<LoadResult & { warmupRequests: number }> {
  const url = `http://127.0.0.1:${target.port}${path}`;
  const warmup = await load(url, body, { seconds: 2 });
  return { ...(await load(url, body, { seconds })), warmupRequests: warmup.requests };
}

const started = Date.now();
const sections: string[] = [];

// BENCH_ONLY=flood: only the random-token flood beside a real user (issue 21, item 2).
if (process.env.BENCH_ONLY === 'flood') {
  const markdown = ['# Benchmark results (flood only)', '', ...(await floodSection(freePort, log))];
  log(`\n${markdown.join('\n')}`);
  process.exit(0);
}
// Hostile upstream answers against memory (BENCH_ONLY=upstream-memory: just this, printed).
if (process.env.BENCH_ONLY === 'upstream-memory') {
  const markdown = upstreamMemoryTable(await upstreamMemoryRows(freePort)).join('\n');
  log(`\n${markdown}`);
  process.exit(0);
}
// The method-time scenario (BENCH_ONLY=method-time: just this).
if (process.env.BENCH_ONLY === 'method-time') {
  const markdown = (await methodTimeSection(log)).join('\n');
  log(`\n${markdown}`);
  process.exit(0);
}
// Admission control under a burst (BENCH_ONLY=burst: just this); its section follows the scheduler's.
const burst = process.env.BENCH_ONLY === 'scheduler' ? [] : await burstSection(freePort, log);
if (process.env.BENCH_ONLY === 'burst') {
  log(`\n${['# Benchmark results (burst section only)', '', ...burst].join('\n')}`);
  process.exit(0);
}

// 0. The upstream scheduler against the ideal leaky-bucket schedule (BENCH_ONLY=scheduler: just this).
sections.push(...(await schedulerSection(freePort, log)));
sections.push('', ...(await methodTimeSection(log)));
if (process.env.BENCH_ONLY === 'scheduler') {
  const markdown = [`# Benchmark results (scheduler section only)`, '', ...sections].join('\n');
  log(`\n${markdown}`);
  process.exit(0);
}
sections.push(...burst);

// 0b. A flood of random tokens beside an accepted user.
sections.push(...(await floodSection(freePort, log)));
log('flood done');

// 1. Upstream efficiency. The naive baselines mostly wait on pacing, so they run in the background.
const sizes = [1, 10, 50, 100, 200];
const modes: Mode[] = ['aliases', 'dialogs(ids:)', '_entities'];
log('upstream efficiency: naive baselines started in the background');
const naive = Promise.all(sizes.map((n) => measureNaive(n)));
const ours: EfficiencyRow[] = [];
for (const n of sizes) for (const mode of modes) ours.push(await measureServer(n, mode));
log('upstream efficiency: server measured; waiting for the baselines later');

// 2. Server overhead, against a bare proxy, on an emulator without latency or rate limit.
// The emulator counts Bitrix24's method time (420 s / 10 min) and the server stops before it is
// spent; a throughput run would spend it in a minute, so this emulator does not count it.
const emulator = await startChild(EMULATOR, {
  EMULATOR_PORT: String(await freePort()),
  EMULATOR_METHOD_BUDGET_S: 'off',
});
const bare = await startChild(BARE_PROXY, {
  PORT: '0',
  UPSTREAM_URL: `http://127.0.0.1:${emulator.port}/rest/1/demo0webhook0secret/`,
});
const bareBody = JSON.stringify({ id: 'chat21191' });
const rounds: Array<{ ours: LoadResult; bare: LoadResult }> = [];
let server = await startServer(emulator);
let oursRequests = 0;
let oursCalls = 0;
for (let round = 0; round < 2; round++) {
  await upstreamCalls(emulator);
  const oursRound = await measureLoad(server, '/graphql', ONE_DIALOG_QUERY, 8);
  oursCalls += await upstreamCalls(emulator);
  oursRequests += oursRound.requests + oursRound.warmupRequests;
  rounds.push({ ours: oursRound, bare: await measureLoad(bare, '/', bareBody, 8) });
  log(`server overhead: round ${round + 1} done`);
}
const mean = (pick: (round: (typeof rounds)[number]) => LoadResult) => {
  const values = rounds.map(pick);
  return {
    rps: values.reduce((sum, value) => sum + value.rps, 0) / values.length,
    p50: values.reduce((sum, value) => sum + value.p50, 0) / values.length,
    p99: values.reduce((sum, value) => sum + value.p99, 0) / values.length,
    errors: values.reduce((sum, value) => sum + value.errors, 0),
  };
};
const oursLoad = mean((round) => round.ours);
const bareLoad = mean((round) => round.bare);

await server.stop();

// 3. Memory: a fresh server, warmed up, then 100 000 more requests. RSS is taken right after each
// load (post-GC RSS wanders with the allocator); the V8 heap in use after a full GC tells a leak.
server = await startServer(emulator);
await load(`http://127.0.0.1:${server.port}/graphql`, ONE_DIALOG_QUERY, { amount: 10_000 });
const rssBefore = server.rss();
const heapBefore = (await server.memoryAfterGc()).heapUsed;
await upstreamCalls(emulator);
const memoryRun = await load(`http://127.0.0.1:${server.port}/graphql`, ONE_DIALOG_QUERY, {
  amount: 100_000,
});
const rssAfter = server.rss();
const heapAfter = (await server.memoryAfterGc()).heapUsed;
const memoryCalls = await upstreamCalls(emulator);
log(`memory: ${memoryRun.requests} requests done`);
await server.stop();

// Before/after rows of the optimisations kept (same query, shorter runs).
const variants: Array<[string, Knobs, Record<string, string>]> = [
  ['as shipped', {}, {}],
  ['before: no keep-alive to the portal', { keepAlive: false }, {}],
  ['before: no parse/validation cache', { parseCache: false }, {}],
  ['with CACHE_TTL_MS=60000 (optional cache)', {}, { CACHE_TTL_MS: '60000' }],
];
const variantRows: Array<{ name: string; result: LoadResult; upstreamCalls: number }> = [];
for (const [name, knobs, env] of variants) {
  server = await startServer(emulator, knobs, env);
  await upstreamCalls(emulator);
  const result = await measureLoad(server, '/graphql', ONE_DIALOG_QUERY, 5);
  variantRows.push({
    name,
    result,
    upstreamCalls: (await upstreamCalls(emulator)) / (result.requests + result.warmupRequests),
  });
  await server.stop();
}
await bare.stop();
await emulator.stop();
log('optimisation rows done');

/** Calls the emulator logged since the last time this was asked (the log is emptied). */
async function upstreamCalls(portal: Child): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${portal.port}/_emulator/requests`);
  const count = ((await response.json()) as unknown[]).length;
  await fetch(`http://127.0.0.1:${portal.port}/_emulator/requests`, { method: 'DELETE' });
  return count;
}

// 6. Hostile upstream answers against memory.
const upstreamMemory = await upstreamMemoryRows(freePort);
log('upstream memory done');

// 5. Replicas sharing the portal's budget through Redis.
const replicas = await replicaRows(freePort);
log('replicas done');

const baselines = await naive;
clearTimeout(watchdog);

// Tables.
const efficiency = [
  '| N | mode | upstream calls | target ⌈N/50⌉ | wall time | naive calls | naive wall time | speed-up |',
  '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...ours.map((row) => {
    const baseline = baselines.find((candidate) => candidate.n === row.n)!;
    return `| ${row.n} | ${row.mode} | ${row.calls} | ${Math.ceil(row.n / 50)} | ${ms(row.ms)} | ${baseline.calls} | ${ms(baseline.ms)} | ${(baseline.ms / row.ms).toFixed(0)}× |`;
  }),
];
const refusals = [...ours, ...baselines].reduce((sum, row) => sum + row.refusals, 0);
const at100 = ours.filter((row) => row.n === 100);
const speedup100 = Math.min(...at100.map((row) => baselines.find((b) => b.n === 100)!.ms / row.ms));
sections.push(
  '## Upstream efficiency',
  '',
  'N distinct dialogs in one GraphQL operation; the emulator answers each call after 50 ms and runs the real leaky bucket (50, 2/s); the server paces as shipped (BITRIX24_RPS=2, BITRIX24_BURST=50). The naive baseline makes one `im.dialog.get` per id, all at once, through the same client and pacing.',
  '',
  ...efficiency,
  '',
  `Target calls = ⌈N/50⌉: ${ours.every((row) => row.calls === Math.ceil(row.n / 50)) ? 'met in every row' : 'NOT met'}. ` +
    `Target ≥ 20× faster than the baseline at N = 100: ${speedup100 >= 20 ? 'met' : 'NOT met'} (slowest mode ${speedup100.toFixed(0)}×). ` +
    `QUERY_LIMIT_EXCEEDED refusals at the portal, all rows: ${refusals}.`,
  '',
);

// Calls per page of dialogs with their people (seconds).
sections.push(...(await peopleSection()));
log('people done');

const ratio = oursLoad.rps / bareLoad.rps;
sections.push(
  '## Server overhead',
  '',
  'A one-dialog query (`dialog(id:)`, one `im.dialog.get` each) at 50 connections, 2 rounds of 8 s after a 2 s warm-up, beside a bare node:http proxy calling `im.dialog.get` on the same emulator (no latency, no rate limit; pacing effectively off). Load generator, server and emulator share the machine.',
  '',
  '| server | requests/s | p50 | p99 | non-2xx or failed | upstream calls per request |',
  '| --- | ---: | ---: | ---: | ---: | ---: |',
  `| this server | ${Math.round(oursLoad.rps)} | ${oursLoad.p50.toFixed(1)} ms | ${oursLoad.p99.toFixed(1)} ms | ${oursLoad.errors} | ${(oursCalls / oursRequests).toFixed(2)} |`,
  `| bare node:http proxy | ${Math.round(bareLoad.rps)} | ${bareLoad.p50.toFixed(1)} ms | ${bareLoad.p99.toFixed(1)} ms | ${bareLoad.errors} | 1 |`,
  '',
  `Throughput ratio: ${(ratio * 100).toFixed(0)} % of the bare proxy (target ≥ 70 %: ${ratio >= 0.7 ? 'met' : 'NOT met'}; see docs/performance.md for why).`,
  '',
  '### Optimisations (before / after)',
  '',
  '| variant | requests/s | p50 | p99 | upstream calls per request |',
  '| --- | ---: | ---: | ---: | ---: |',
  ...variantRows.map(
    ({ name, result, upstreamCalls: perRequest }) =>
      `| ${name} | ${Math.round(result.rps)} | ${result.p50.toFixed(1)} ms | ${result.p99.toFixed(1)} ms | ${perRequest.toFixed(3)} |`,
  ),
  '',
);

const growth = (rssAfter - rssBefore) / rssBefore;
const heapGrowth = (heapAfter - heapBefore) / heapBefore;
sections.push(
  '## Memory',
  '',
  'A fresh server: 10 000 one-dialog requests to warm up, then 100 000 more, at 50 connections. RSS is read right after each load; the V8 heap in use is read after a full garbage collection (node --expose-gc), which is where a leak would show.',
  '',
  '| requests | upstream calls | RSS after warm-up | RSS after 100 000 more | RSS growth | V8 heap in use after GC |',
  '| ---: | ---: | ---: | ---: | ---: | ---: |',
  `| ${memoryRun.requests} (${memoryRun.errors} non-2xx) | ${memoryCalls} | ${mib(rssBefore)} | ${mib(rssAfter)} | ${(growth * 100).toFixed(1)} % | ${mib(heapBefore)} → ${mib(heapAfter)} (${(heapGrowth * 100).toFixed(1)} %) |`,
  '',
  `Target: no growth beyond 20 % — ${growth <= 0.2 ? 'met' : 'NOT met'}.`,
  '',
);

sections.push(
  '## Hostile upstream answers and memory',
  '',
  'The emulator answers with a 10 MiB body nested `[[[[…]]]]`, or with 31 MB dialogs (under the 32 MiB cap), 20 requests at once, each with its own bearer token (OAuth mode) so each is its own upstream call. RSS of the server sampled every 20 ms. Targets: the nested answer refused in < 3 s with RSS < 400 MiB; 20 concurrent 31 MB answers under 1 GiB.',
  '',
  ...upstreamMemoryTable(upstreamMemory),
  '',
);

sections.push(
  '## Replicas sharing one portal through Redis',
  '',
  ...(replicas
    ? [
        'Each replica under more demand than the portal can take (10 connections each) for 10 s; the portal answers after 50 ms and runs the real leaky bucket (50, 2/s). "Allowed" is what its bucket accepts in that time from empty: 50 + 2/s × elapsed.',
        '',
        '| replicas | shared budget | calls reaching the portal | allowed | refused by the portal |',
        '| ---: | --- | ---: | ---: | ---: |',
        ...replicas.map(
          (row) =>
            `| ${row.replicas} | ${row.redis ? 'Redis' : 'none (control)'} | ${row.calls} | ${row.allowed} | ${row.refusals} |`,
        ),
      ]
    : ['Skipped: redis-server is not installed (apt-get install redis-server).']),
  '',
);

const header = [
  '# Benchmark results',
  '',
  `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${cpus().length} CPU (${cpus()[0]?.model ?? 'unknown'}), ${Math.round((Date.now() - started) / 1000)} s. Loopback only.`,
  '',
];
const markdown = [...header, ...sections].join('\n');
writeFileSync(RESULTS, `${markdown}\n`);
log(`\n${markdown}`);
log(`written to ${RESULTS}`);
process.exit(0);
