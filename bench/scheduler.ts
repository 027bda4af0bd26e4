import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import got from 'got';
import {
  DEMO_WEBHOOK_SECRET,
  SAMPLE_FIXTURES,
  SAMPLE_USER_ID,
  type FixtureChat,
  type Fixtures,
} from '../src/emulator/fixtures.js';
import type { EmulatorStats, RequestLogEntry } from '../src/emulator/server.js';
import { startChild, type Child } from './children.js';
import { postGraphql } from './post-graphql.js';

/*
 * The upstream scheduler against the physical limit of a portal: the emulator runs the real leaky
 * bucket (50 calls, drained at 2/s) and answers each call after 50 ms; the server paces as shipped
 * (BITRIX24_RPS=2, BITRIX24_BURST=50). Every scenario is measured beside the ideal leaky-bucket
 * schedule: calls the free bucket holds leave at once, then exactly 2 per second, each answered
 * 50 ms later, and nothing else costs time.
 */

const MAIN = fileURLToPath(new URL('../src/main.js', import.meta.url));
const EMULATOR = fileURLToPath(new URL('../src/emulator/main.js', import.meta.url));
const LATENCY_MS = 50;
const RATE = 2;
const BUCKET = 50;
const DEADLINE_MS = 25_000;
/** One token per caller: requests of different callers can never share a call. */
const TOKENS = Array.from({ length: 200 }, (_, index) => `bench-caller-token-${index}`);
const WARM_TOKENS = Array.from({ length: 12 }, (_, index) => `bench-warm-token-${index}`);
/** 1 000 chats the sample user may read, for the sustained scenario's distinct ids. */
const EXTRA_CHATS: FixtureChat[] = Array.from({ length: 1000 }, (_, index) => ({
  id: 20001 + index,
  name: `Bench room #${index + 1}`,
  type: 'chat',
  messageType: 'C',
  owner: SAMPLE_USER_ID,
  members: [SAMPLE_USER_ID],
  color: '#4ba984',
  dateCreate: '2026-01-01T10:00:00+03:00',
}));
const FIXTURES: Fixtures = {
  ...SAMPLE_FIXTURES,
  chats: [...SAMPLE_FIXTURES.chats, ...EXTRA_CHATS],
  tokens: [
    ...SAMPLE_FIXTURES.tokens,
    ...[...TOKENS, ...WARM_TOKENS].map((token) => ({
      token,
      userId: SAMPLE_USER_ID,
      scopes: ['im'],
    })),
  ],
};

export type Callers = 'one token each' | 'one webhook';

export interface Figures {
  readonly calls: number;
  readonly p50: number;
  readonly p95: number;
  readonly last: number;
  readonly failed: number;
}

export interface ScenarioRow {
  readonly scenario: string;
  readonly callers: Callers;
  readonly replicas: number;
  readonly requests: number;
  readonly ideal: Figures;
  readonly measured: Figures & { readonly refusals: number; readonly dialogsPerSecond?: number };
  /** p95 of the same burst answered without the portal (an id outside its grammar): the server's own work. */
  readonly floorP95?: number;
}

interface Scenario {
  readonly name: string;
  readonly requests: number;
  /** Calls another app spent of the bucket just before (it drains like ours). */
  readonly spentByOthers?: number;
  /** The bucket the portal really has free, when smaller than the server is told (BITRIX24_BURST=50). */
  readonly portalBucket?: number;
}

export const BURST_SCENARIOS: readonly Scenario[] = [
  { name: '40 concurrent requests, idle portal', requests: 40 },
  { name: '80 concurrent requests, idle portal', requests: 80 },
  { name: '200 concurrent requests', requests: 200 },
  { name: 'another app spent 40 of the 50, 40 requests', requests: 40, spentByOthers: 40 },
  {
    name: 'the portal’s bucket is 10 (server not told), 40 requests',
    requests: 40,
    portalBucket: 10,
  },
];

const percentile = (values: readonly number[], share: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0
    ? 0
    : sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!;
};

function figures(latencies: readonly number[], calls: number, failed: number): Figures {
  return {
    calls,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    last: Math.max(0, ...latencies),
    failed,
  };
}

/** When each of `calls` calls leaves under the ideal schedule of a bucket with `free` slots free. */
function idealDepartures(calls: number, free: number): number[] {
  return Array.from({ length: calls }, (_, index) =>
    index < free ? 0 : ((index - free + 1) * 1000) / RATE,
  );
}

/** The ideal figures of a burst: every request its own call, or one caller's requests 50 to a call. */
export function idealBurst(scenario: Scenario, callers: Callers): Figures {
  const free = (scenario.portalBucket ?? BUCKET) - (scenario.spentByOthers ?? 0);
  const calls =
    callers === 'one token each' ? scenario.requests : Math.ceil(scenario.requests / 50);
  const departures = idealDepartures(calls, free);
  const latencies = Array.from(
    { length: scenario.requests },
    (_, index) =>
      departures[callers === 'one token each' ? index : Math.floor(index / 50)]! + LATENCY_MS,
  );
  return figures(
    latencies.filter((ms) => ms <= DEADLINE_MS),
    calls,
    latencies.filter((ms) => ms > DEADLINE_MS).length,
  );
}

/**
 * The ideal schedule of the sustained scenario, simulated per millisecond: whenever the bucket has
 * room and lookups wait, one call leaves with up to 50 distinct of them.
 */
export function idealSustained(arrivals: ReadonlyArray<{ at: number; id: string }>): Figures {
  let level = 0;
  let next = 0;
  let calls = 0;
  const waiting: Array<{ at: number; id: string }> = [];
  const latencies: number[] = [];
  const end = arrivals.at(-1)!.at + 60_000;
  for (let now = 0; now <= end && latencies.length < arrivals.length; now++) {
    while (next < arrivals.length && arrivals[next]!.at <= now) waiting.push(arrivals[next++]!);
    level = Math.max(0, level - RATE / 1000);
    while (waiting.length > 0 && level + 1 <= BUCKET) {
      level += 1;
      calls++;
      const ids = new Set<string>();
      for (let index = 0; index < waiting.length; ) {
        const lookup = waiting[index]!;
        if (ids.size >= 50 && !ids.has(lookup.id)) {
          index++;
          continue;
        }
        ids.add(lookup.id);
        latencies.push(now + LATENCY_MS - lookup.at);
        waiting.splice(index, 1);
      }
    }
  }
  return figures(latencies, calls, arrivals.length - latencies.length);
}

/**
 * The emulator in a process of its own, as a portal is: it checks its bucket as calls arrive, and
 * the load generator's work in the bench's process must not delay that.
 */
interface PortalProcess {
  readonly url: string;
  webhookUrl(userId?: number, secret?: string): string;
  requests(): Promise<RequestLogEntry[]>;
  stats(): Promise<EmulatorStats>;
  clearRequests(): Promise<void>;
}

function portalProcess(child: Child): PortalProcess {
  const url = `http://127.0.0.1:${child.port}`;
  return {
    url,
    webhookUrl: (userId = SAMPLE_USER_ID, secret = DEMO_WEBHOOK_SECRET) =>
      `${url}/rest/${userId}/${secret}/`,
    requests: () => got(`${url}/_emulator/requests`).json<RequestLogEntry[]>(),
    stats: () => got(`${url}/_emulator/stats`).json<EmulatorStats>(),
    clearRequests: async () => {
      await got.delete(`${url}/_emulator/requests`);
    },
  };
}

const FIXTURES_FILE = join(tmpdir(), `bench-fixtures-${process.pid}.json`);
writeFileSync(FIXTURES_FILE, JSON.stringify(FIXTURES));

interface Deployment {
  readonly emulator: PortalProcess;
  readonly servers: Child[];
  stop(): Promise<void>;
}

async function deploy(
  replicas: number,
  callers: Callers,
  options: { portalBucket?: number; redisUrl?: string; freePort: () => Promise<number> },
): Promise<Deployment> {
  const emulatorChild = await startChild(EMULATOR, {
    EMULATOR_PORT: String(await options.freePort()),
    EMULATOR_FIXTURES: FIXTURES_FILE,
    EMULATOR_LATENCY_MS: String(LATENCY_MS),
    EMULATOR_RPS: String(RATE),
    EMULATOR_BURST: String(options.portalBucket ?? BUCKET),
    // Throughput runs would spend the 480 s of method time in minutes; this part measures the bucket.
    EMULATOR_METHOD_BUDGET_S: 'off',
  });
  const emulator = portalProcess(emulatorChild);
  const servers: Child[] = [];
  for (let index = 0; index < replicas; index++) {
    servers.push(
      await startChild(MAIN, {
        PORT: String(await options.freePort()),
        HOST: '127.0.0.1',
        ...(callers === 'one webhook'
          ? { BITRIX24_WEBHOOK_URL: emulator.webhookUrl() }
          : { BITRIX24_PORTAL_URL: emulator.url }),
        BITRIX24_RPS: String(RATE),
        BITRIX24_BURST: String(BUCKET),
        REQUEST_DEADLINE_MS: String(DEADLINE_MS),
        // info: the start line tells the bench the port; request lines are what production writes.
        LOG_LEVEL: 'info',
        GRAPHIQL: 'false',
        ...(options.redisUrl
          ? { REDIS_URL: options.redisUrl, REPLICAS_HINT: String(replicas) }
          : {}),
      }),
    );
  }
  // A few real calls per server (12 in all), then the time both buckets need to drain them.
  const warmCalls = Math.ceil(12 / replicas);
  await Promise.all(servers.map((server) => warmUp(server, callers, warmCalls)));
  await new Promise((resolve) =>
    setTimeout(resolve, ((warmCalls * replicas) / RATE) * 1000 + 1000),
  );
  await emulator.clearRequests();
  return {
    emulator,
    servers,
    stop: async () => {
      await Promise.all(servers.map((server) => server.stop()));
      await emulatorChild.stop();
    },
  };
}

/** One GraphQL request of one dialog; resolves to its latency and whether it got its dialog. */
async function askDialog(
  server: Child,
  id: string,
  token: string | undefined,
  startedAt: number,
): Promise<{ ms: number; ok: boolean }> {
  const body = await post(
    server,
    { query: `{ dialog(id: "${id}") { __typename ... on Dialog { title } } }` },
    token,
  ).catch(() => '');
  return { ms: performance.now() - startedAt, ok: body.includes('"title"') };
}

/** The scheduler's runs wait long for their answers (a whole burst behind the bucket). */
const post = (server: Child, json: object, token?: string) =>
  postGraphql(server.port, json, { token, timeoutMs: 120_000 });

/**
 * A fresh server's first requests run cold code (the JIT has compiled neither yoga's nor ours nor
 * got's yet): 300 requests of the same shape answered without the portal (an id outside its
 * grammar), and a few real calls, whose slots the bench then lets drain from both buckets.
 */
async function warmUp(server: Child, callers: Callers, calls: number): Promise<void> {
  for (let round = 0; round < 6; round++) {
    await Promise.all(
      Array.from({ length: 50 }, () =>
        post(server, { query: '{ dialog(id: "not-an-id") { ... on Dialog { title } } }' }),
      ),
    );
  }
  for (let index = 0; index < calls; index++) {
    await post(
      server,
      { query: `{ dialog(id: "chat${10290 + index}") { ... on Dialog { title } } }` },
      callers === 'one token each' ? `bench-warm-token-${index}` : undefined,
    );
  }
}

/** Another app's calls on the same portal: they fill its bucket as ours do. */
async function spendBucket(emulator: PortalProcess, calls: number): Promise<void> {
  await Promise.all(
    Array.from({ length: calls }, () =>
      got.post(`${emulator.webhookUrl(2, 'demo0webhook0boris')}server.time`, {
        throwHttpErrors: false,
      }),
    ),
  );
}

export async function measureBurst(
  scenario: Scenario,
  callers: Callers,
  replicas: number,
  options: { redisUrl?: string; freePort: () => Promise<number> },
): Promise<ScenarioRow> {
  const deployment = await deploy(replicas, callers, {
    ...options,
    ...(scenario.portalBucket !== undefined ? { portalBucket: scenario.portalBucket } : {}),
  });
  try {
    // The floor: the same burst, answered by the server alone (no lookup reaches the portal).
    const floorStart = performance.now();
    const floor = await Promise.all(
      Array.from({ length: scenario.requests }, (_, index) =>
        askDialog(
          deployment.servers[index % replicas]!,
          'not-an-id',
          callers === 'one token each' ? TOKENS[index] : undefined,
          floorStart,
        ),
      ),
    );
    if (scenario.spentByOthers) await spendBucket(deployment.emulator, scenario.spentByOthers);
    const ours = (await deployment.emulator.requests()).length;
    const refusedBefore = (await deployment.emulator.stats()).queryLimitRefusals;
    const startedAt = performance.now();
    const answers = await Promise.all(
      Array.from({ length: scenario.requests }, (_, index) =>
        askDialog(
          deployment.servers[index % replicas]!,
          `chat${10001 + index}`,
          callers === 'one token each' ? TOKENS[index] : undefined,
          startedAt,
        ),
      ),
    );
    const calls = (await deployment.emulator.requests()).length - ours;
    const refused = (await deployment.emulator.stats()).queryLimitRefusals - refusedBefore;
    return {
      scenario: scenario.name,
      callers,
      replicas,
      requests: scenario.requests,
      ideal: idealBurst(scenario, callers),
      measured: {
        ...figures(
          answers.filter((answer) => answer.ok).map((answer) => answer.ms),
          calls - refused,
          answers.filter((answer) => !answer.ok).length,
        ),
        refusals: refused,
      },
      floorP95: percentile(
        floor.map((answer) => answer.ms),
        0.95,
      ),
    };
  } finally {
    await deployment.stop();
  }
}

/** One caller, 3 000 one-dialog requests over 30 s (one per 10 ms) over 1 000 distinct ids. */
export async function measureSustained(
  replicas: number,
  options: { redisUrl?: string; freePort: () => Promise<number> },
): Promise<ScenarioRow> {
  const deployment = await deploy(replicas, 'one webhook', options);
  let seed = 11;
  const random = () => {
    seed = (seed * 48271) % 2147483647;
    return seed / 2147483647;
  };
  const arrivals = Array.from({ length: 3000 }, (_, index) => ({
    at: index * 10,
    id: `chat${20001 + Math.floor(random() * 1000)}`,
  }));
  try {
    const startedAt = performance.now();
    const answers = await Promise.all(
      arrivals.map(async (arrival, index) => {
        const wait = arrival.at - (performance.now() - startedAt);
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const sentAt = performance.now();
        const answer = await askDialog(
          deployment.servers[index % replicas]!,
          arrival.id,
          undefined,
          sentAt,
        );
        return { ...answer, doneAt: performance.now() - startedAt };
      }),
    );
    const calls = (await deployment.emulator.requests()).filter(
      (request) => request.status === 200,
    ).length;
    const served = answers.filter((answer) => answer.ok);
    const seconds = Math.max(...answers.map((answer) => answer.doneAt)) / 1000;
    return {
      scenario: 'sustained: 3 000 requests over 30 s, 1 000 distinct ids',
      callers: 'one webhook',
      replicas,
      requests: arrivals.length,
      ideal: idealSustained(arrivals),
      measured: {
        ...figures(
          served.map((answer) => answer.ms),
          calls,
          answers.length - served.length,
        ),
        refusals: (await deployment.emulator.stats()).queryLimitRefusals,
        dialogsPerSecond: served.length / seconds,
      },
    };
  } finally {
    await deployment.stop();
  }
}
