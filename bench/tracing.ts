/**
 * `npm run bench:tracing`: what OpenTelemetry tracing costs. The server (bench/server-process.ts,
 * as `npm start` assembles it) answers one-dialog queries at 50 connections against the emulator
 * (no latency, no rate limit), with tracing off (no OTEL_* set: the SDK is not even loaded) and on
 * (every request sampled, five spans each, exported over OTLP/HTTP to a sink on loopback),
 * alternating, several rounds each. Prints a markdown table for bench/results.md.
 *
 * "Off costs nothing" is measured, not only argued: with BENCH_BASELINE_SERVER set to the compiled
 * bench/server-process.js of a build from before tracing (a worktree at 6d0b429, the commit before
 * issue 25 merged, `npx tsc -p tsconfig.bench.json` there), that server runs as a third mode in the
 * same rotation, so off is compared with a server that has no tracing code at all.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/helpers/process.js';
import { startChild, type Child } from './children.js';
import { load, ONE_DIALOG_QUERY, type LoadResult } from './load.js';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);

// The collector: counts spans' bytes and answers 200, as a collector that keeps up would.
let exportedBytes = 0;
let exports = 0;
const sink = createServer((request, response) => {
  request.on('data', (chunk: Buffer) => {
    exportedBytes += chunk.length;
  });
  request.on('end', () => {
    exports++;
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;

const emulator = await startChild(here('../src/emulator/main.js'), {
  EMULATOR_PORT: String(await freePort()),
  EMULATOR_METHOD_BUDGET_S: 'off',
});

const BASELINE = process.env.BENCH_BASELINE_SERVER;

interface Mode {
  readonly env: Record<string, string>;
  readonly server: string;
}

async function measure({ env, server: script }: Mode): Promise<LoadResult> {
  const server: Child = await startChild(script, {
    PORT: String(await freePort()),
    BITRIX24_WEBHOOK_URL: `http://127.0.0.1:${emulator.port}/rest/1/demo0webhook0secret/`,
    BITRIX24_RPS: '1000000',
    BITRIX24_BURST: '2000000',
    LOG_LEVEL: 'warn',
    ...env,
  });
  try {
    const url = `http://127.0.0.1:${server.port}/graphql`;
    await load(url, ONE_DIALOG_QUERY, { seconds: 2 });
    return await load(url, ONE_DIALOG_QUERY, { seconds: SECONDS });
  } finally {
    await server.stop();
  }
}

const ours = here('./server-process.js');
const modes: Record<string, Mode> = {
  ...(BASELINE ? { 'before tracing (no tracing code)': { env: {}, server: BASELINE } } : {}),
  'off (no OTEL_* set)': { env: {}, server: ours },
  'on, every request sampled, exported to a loopback collector': {
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl, OTEL_SERVICE_NAME: 'bench' },
    server: ours,
  },
};
const ON = 'on, every request sampled, exported to a loopback collector';
const results = new Map<string, LoadResult[]>(Object.keys(modes).map((mode) => [mode, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [mode, settings] of Object.entries(modes)) {
    results.get(mode)!.push(await measure(settings));
    process.stderr.write(`tracing bench: ${mode}, round ${round + 1} done\n`);
  }
}
const onRequests = results.get(ON)!.reduce((sum, r) => sum + r.requests, 0);
await emulator.stop();
sink.close();

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const rows = [...results].map(([mode, rounds]) => {
  const rps = rounds.map((r) => r.rps);
  return `| ${mode} | ${Math.round(mean(rps))} (${rps.map(Math.round).join(', ')}) | ${mean(rounds.map((r) => r.p50)).toFixed(1)} ms | ${mean(rounds.map((r) => r.p99)).toFixed(1)} ms | ${rounds.reduce((sum, r) => sum + r.errors, 0)} |`;
});
process.stdout.write(
  [
    `${ROUNDS} rounds of ${SECONDS} s each, alternating, 50 connections, one-dialog query; ${cpus().length} CPUs shared with other work.`,
    '',
    '| tracing | requests/s: mean (rounds) | p50 | p99 | errors |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `Exported while on: ${exports} OTLP requests, ${(exportedBytes / 1024 / 1024).toFixed(1)} MiB, about ${Math.round(exportedBytes / Math.max(1, onRequests))} bytes per traced request.`,
    '',
  ].join('\n'),
);
