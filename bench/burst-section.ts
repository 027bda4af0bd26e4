import {
  BURST_DEADLINE_MS,
  BURST_REQUESTS,
  IDS_PER_REQUEST,
  measureAdmissionBurst,
  type BurstFigures,
} from './burst.js';

const seconds = (ms: number) =>
  ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;

/** The admission-control burst (issue 21, item 7), without admission control and as shipped. */
export async function burstSection(
  freePort: () => Promise<number>,
  log: (text: string) => void,
): Promise<string[]> {
  const runs: Array<[string, number | undefined]> = [
    ['before: no admission control (MAX_OPERATIONS_IN_FLIGHT=100000)', 100_000],
    ['as shipped (default MAX_OPERATIONS_IN_FLIGHT)', undefined],
  ];
  const rows: Array<[string, BurstFigures]> = [];
  for (const [name, limit] of runs) {
    const figures = await measureAdmissionBurst({
      freePort,
      ...(limit !== undefined ? { limit } : {}),
    });
    rows.push([name, figures]);
    log(`burst: ${name}: ${JSON.stringify(figures)}`);
  }
  const shipped = rows.at(-1)![1];
  const held = shipped.maxWaitMs <= BURST_DEADLINE_MS + 1000;
  return [
    '## Admission control under a burst',
    '',
    `${BURST_REQUESTS} GraphQL requests of ${IDS_PER_REQUEST} distinct dialog ids each (\`dialogs(ids:)\`, no id shared), sent at once on ${BURST_REQUESTS} connections, against the emulator with the real leaky bucket (50 calls, 2/s, 50 ms a call); REQUEST_DEADLINE_MS=${BURST_DEADLINE_MS}. A prober asks \`/health\` every 100 ms during the burst. "max client wait" is the longest any client waited for its answer, from its send; the deadline is what it should hold to. Load generator, server and emulator share the machine's CPUs (and other work ran on them).`,
    '',
    '| run | answered 200 | answered 503 | failed | max client wait | max 503 wait | /health p99 | /health max | /health samples |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      ([name, row]) =>
        `| ${name} | ${row.worked} | ${row.refused} | ${row.failed} | ${seconds(row.maxWaitMs)} | ${row.refused > 0 ? seconds(row.maxRefusalMs) : ''} | ${seconds(row.healthP99Ms)} | ${seconds(row.healthMaxMs)} | ${row.healthSamples} |`,
    ),
    '',
    `Target: no client waits past the deadline (${seconds(BURST_DEADLINE_MS)}, + 1 s of slack for the answer itself) — ${held ? 'met' : 'NOT met'}.`,
    '',
  ];
}
