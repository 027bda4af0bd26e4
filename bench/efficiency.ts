import { pino } from 'pino';
import { createDialogServer } from '../src/server/create-server.js';
import { startEmulator } from '../src/emulator/server.js';
import { BENCH_PORTAL, SHIPPED, withShippedServer } from './shipped-server.js';

export type Mode = 'aliases' | 'dialogs(ids:)' | '_entities';

export interface EfficiencyRow {
  readonly n: number;
  readonly mode: Mode | 'naive baseline';
  readonly calls: number;
  readonly ms: number;
  readonly refusals: number;
}

const ids = (n: number) => Array.from({ length: n }, (_, index) => `chat${10001 + index}`);

function operation(mode: Mode, n: number): { query: string; variables?: Record<string, unknown> } {
  if (mode === 'aliases') {
    return {
      query: `{ ${ids(n)
        .map((id, index) => `a${index}: dialog(id: "${id}") { ... on Dialog { title } }`)
        .join(' ')} }`,
    };
  }
  if (mode === 'dialogs(ids:)') {
    return {
      query: 'query($ids: [ID!]!) { dialogs(ids: $ids) { ... on Dialog { title } } }',
      variables: { ids: ids(n) },
    };
  }
  return {
    query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Dialog { title } } }',
    variables: { r: ids(n).map((id) => ({ __typename: 'Dialog', id })) },
  };
}

/** One GraphQL operation for N distinct dialogs against a fresh portal and server. */
export function measureServer(n: number, mode: Mode): Promise<EfficiencyRow> {
  const config = { maxRequestBodyBytes: 1_000_000, deadlineMs: 120_000 };
  return withShippedServer({ config }, async ({ emulator, post }) => {
    const { body, ms } = await post<{ data: unknown; errors?: unknown[] }>(operation(mode, n));
    const titles = JSON.stringify(body.data).match(/Project room #/g)?.length ?? 0;
    if (body.errors || titles !== n)
      throw new Error(`${mode} N=${n}: ${titles} titles, errors ${JSON.stringify(body.errors)}`);
    return {
      n,
      mode,
      calls: emulator.requests.length,
      ms,
      refusals: emulator.stats.queryLimitRefusals,
    };
  });
}

/**
 * What a hand-written client does: one im.dialog.get per id, all at once, through the same pacing
 * (our own bucket mirror and transport, so the only difference is batching).
 */
export async function measureNaive(n: number): Promise<EfficiencyRow> {
  const emulator = await startEmulator(BENCH_PORTAL);
  const { upstream, close } = await createDialogServer({
    config: SHIPPED,
    portal: { kind: 'webhook', webhookUrl: new URL(emulator.webhookUrl()) },
    logger: pino({ level: 'silent' }),
    overrides: { processMetrics: false },
  });
  const credentials = { kind: 'webhook' as const, webhookUrl: new URL(emulator.webhookUrl()) };
  try {
    const started = performance.now();
    const bounds = { signal: new AbortController().signal, deadline: Date.now() + 600_000 };
    await Promise.all(
      ids(n).map((id) =>
        upstream.scheduler.callOnce(credentials, 'im.dialog.get', { DIALOG_ID: id }, bounds),
      ),
    );
    return {
      n,
      mode: 'naive baseline',
      calls: emulator.requests.length,
      ms: performance.now() - started,
      refusals: emulator.stats.queryLimitRefusals,
    };
  } finally {
    await close();
    await emulator.close();
  }
}
