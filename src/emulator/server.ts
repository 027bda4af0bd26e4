import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import qs from 'qs';
import { DEMO_WEBHOOK_SECRET, SAMPLE_FIXTURES, SAMPLE_USER_ID, type Fixtures } from './fixtures.js';
import { FaultQueue, isFaultKind, type FaultKind } from './faults.js';
import {
  LeakyBucket,
  MethodTimeBudget,
  type LeakyBucketOptions,
  type MethodTimeOptions,
  type OperatingTime,
  type RequestRuns,
} from './budgets.js';
import { EmulatedPortal, PortalError, type Caller, type ReceivedCommand } from './portal.js';
import type { Generation } from './render.js';

export interface EmulatorOptions {
  readonly fixtures?: Fixtures;
  /** Which answer generation of `im.dialog.get` to speak (default `modern`). */
  readonly generation?: Generation;
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** The portal's leaky bucket; off unless given. */
  readonly rateLimit?: LeakyBucketOptions;
  /**
   * The method-time limiter: per app or webhook × method (a webhook's batched commands: one budget
   * for every webhook), 420 s by default in ten one-minute buckets, each request's sum of runs of a
   * method recorded when over 0.1 s, each run costing `realisticRunSeconds` (a few ms for a small
   * chat, ~0.3 s for the 3 000-member one). The cost is modelled, not slept.
   */
  readonly methodTime?: MethodTimeOptions;
  /** Delay before every answer. */
  readonly latencyMs?: number;
}

/** What the emulator received and answered, one entry per HTTP request (secrets left out). */
export interface RequestLogEntry {
  readonly seq: number;
  readonly at: number;
  readonly transport: 'webhook' | 'oauth';
  readonly userId: number | null;
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly commands?: ReceivedCommand[];
  readonly status: number;
  readonly error?: string;
  readonly fault?: FaultKind;
}

export interface EmulatorStats {
  /** Requests refused with QUERY_LIMIT_EXCEEDED by the leaky bucket (not by injected faults). */
  queryLimitRefusals: number;
  /**
   * Refusals by the method-time limiter (not by injected faults): whole calls answered 429 and
   * batch commands answered OPERATION_TIME_LIMIT in `result_error` alike.
   */
  operationLimitRefusals: number;
}

export interface Emulator {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** The inbound webhook base `URL/rest/USER/SECRET/` (default: the sample user's demo webhook). */
  webhookUrl(userId?: number, secret?: string): string;
  readonly portal: EmulatedPortal;
  readonly faults: FaultQueue;
  /** The method-time limiter: read what an account has used (`used`, `report`) or start afresh (`clear`). */
  readonly methodTime: MethodTimeBudget;
  readonly stats: EmulatorStats;
  /**
   * Empties the leaky bucket (if `rateLimit` was given), as if the portal had been left alone long
   * enough for it to drain: a test starts from an idle portal without sleeping through the drain.
   */
  emptyBucket(): void;
  /** The request log, oldest first. */
  readonly requests: readonly RequestLogEntry[];
  clearRequests(): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;
const AUTH_PARAMS = new Set(['auth', 'access_token']);
const HTML_PAGE = (title: string) =>
  `<!DOCTYPE html><html><head><title>${title}</title></head><body><h1>${title}</h1><hr>nginx</body></html>`;

function atom(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d+Z$/, '+00:00');
}

function withoutAuth(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([key]) => !AUTH_PARAMS.has(key)));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new PortalError('INVALID_REQUEST', 'Request body is too large', 413);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parameters from the query string and the body (JSON or form), as PHP's `$_REQUEST` would merge them. */
function parseParams(request: IncomingMessage, url: URL, body: string): Record<string, unknown> {
  const fromQuery = qs.parse(url.search.slice(1), { depth: 5, arrayLimit: 100 }) as Record<
    string,
    unknown
  >;
  const contentType = request.headers['content-type'] ?? '';
  if (body.trim() === '') return fromQuery;
  if (contentType.includes('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new PortalError('INVALID_REQUEST', 'Invalid JSON in request body', 401);
    }
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? { ...fromQuery, ...parsed }
      : fromQuery;
  }
  if (contentType.includes('application/x-www-form-urlencoded')) {
    return {
      ...fromQuery,
      ...(qs.parse(body, { depth: 5, arrayLimit: 100 }) as Record<string, unknown>),
    };
  }
  return fromQuery;
}

const REST_PATH = /^\/rest\/(?:(\d+)\/([^/]+)\/)?([A-Za-z0-9_.]+)\/?$/;

/** 64 MiB of valid JSON text, written in 1 MiB pieces as the client takes them; stops if it leaves. */
async function streamOversized(response: ServerResponse): Promise<void> {
  const piece = 'x'.repeat(1024 * 1024);
  response.writeHead(200, { 'content-type': 'application/json' });
  response.write('{"result":{"padding":"');
  for (let sent = 0; sent < 64 && !response.destroyed; sent++) {
    if (!response.write(piece))
      await new Promise((resolve) => response.once('drain', resolve).once('close', resolve));
  }
  response.end('"}}');
}

let hugeList: string | undefined;
/** One dialog whose `mute_list` holds 3 million ids: made once, then reused. */
function hugeListAnswer(): string {
  hugeList ??= `{"result":{"id":7,"name":"Huge list","type":"chat","message_type":"C","date_create":"2026-01-01T00:00:00+03:00","mute_list":[${Array.from({ length: 3_000_000 }, (_, index) => index + 1).join(',')}]},"time":{}}`;
  return hugeList;
}

/** The answers of sized faults, made once per size (a 31 MB string takes a while to build). */
const sizedAnswers = new Map<string, string>();
function sizedAnswer(kind: 'deep-nesting' | 'large-answer', bytes: number): string {
  const key = `${kind}:${bytes}`;
  let answer = sizedAnswers.get(key);
  if (answer === undefined) {
    if (kind === 'deep-nesting') {
      const levels = Math.max(1, Math.floor((bytes - 12) / 2));
      answer = `{"result":${'['.repeat(levels)}${']'.repeat(levels)}}`;
    } else {
      const head =
        '{"result":{"id":7,"name":"Large answer","type":"chat","message_type":"C","date_create":"2026-01-01T00:00:00+03:00","mute_list":[';
      const tail = ']},"time":{}}';
      const ids: string[] = [];
      let length = head.length + tail.length;
      for (let id = 1000001; length + 8 <= bytes; id++) {
        ids.push(String(id));
        length += 8;
      }
      answer = head + ids.join(',') + tail;
    }
    sizedAnswers.clear();
    sizedAnswers.set(key, answer);
  }
  return answer;
}

/** Starts a Bitrix24 REST emulator on loopback (by default) and resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const portal = new EmulatedPortal(
    options.fixtures ?? SAMPLE_FIXTURES,
    options.generation ?? 'modern',
  );
  const faults = new FaultQueue();
  faults.latencyMs = options.latencyMs ?? 0;
  const bucket = options.rateLimit ? new LeakyBucket(options.rateLimit) : undefined;
  const methodTime = new MethodTimeBudget(options.methodTime ?? { budgetSeconds: 420 });
  const stats: EmulatorStats = { queryLimitRefusals: 0, operationLimitRefusals: 0 };
  const log: RequestLogEntry[] = [];
  let seq = 0;

  /** A success's `time` block; `processing` is the modelled run time, so `finish` is never before it. */
  const timeBlock = (
    startedAt: number,
    processingSeconds: number,
    operating: OperatingTime,
  ): Record<string, unknown> => {
    const finish = Math.max(Date.now() / 1000, startedAt + processingSeconds);
    const block: Record<string, unknown> = {
      start: startedAt,
      finish,
      duration: finish - startedAt,
      processing: Math.round(processingSeconds * 1e6) / 1e6,
      date_start: atom(startedAt),
      date_finish: atom(finish),
    };
    if (portal.generation === 'modern') {
      block.operating_reset_at = operating.operating_reset_at;
      block.operating = operating.operating;
    }
    return block;
  };

  /** The whole answer could not be JSON-encoded: HTTP 200, the runs still counted. */
  const wrongEncoding = () => new PortalError('WRONG_ENCODING', 'Wrong request encoding', 200);

  const operationTimeLimit = () => {
    stats.operationLimitRefusals++;
    return new PortalError(
      'OPERATION_TIME_LIMIT',
      'Method is blocked due to operation time limit.',
      429,
    );
  };

  /**
   * Adds the modelled cost of a run that succeeded (a failed run never reaches the limiter) to the
   * request's runs, in seconds; they are recorded when the request ends.
   */
  const charge = (runs: RequestRuns, account: string, method: string, result: unknown): number => {
    const seconds = methodTime.costOf({ method, result });
    runs.run(account, method, seconds);
    return seconds;
  };

  const send = (response: ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    response.end(text);
  };

  /** Answers (or pointedly does not answer) a request with an injected fault. */
  const serveFault = (
    fault: FaultKind,
    request: IncomingMessage,
    response: ServerResponse,
    credential: string,
  ): void => {
    const envelope = (code: string, description: string, status: number) =>
      send(response, status, { error: code, error_description: description });
    switch (fault) {
      case 'query-limit': {
        envelope('QUERY_LIMIT_EXCEEDED', 'Too many requests', 503);
        return;
      }
      case 'operation-limit': {
        envelope('OPERATION_TIME_LIMIT', 'Method is blocked due to operation time limit.', 429);
        return;
      }
      case 'overload': {
        envelope('OVERLOAD_LIMIT', 'REST API is blocked due to overload.', 401);
        return;
      }
      case 'internal-error': {
        envelope('INTERNAL_SERVER_ERROR', 'Internal server error', 500);
        return;
      }
      case 'method-not-found': {
        envelope('ERROR_METHOD_NOT_FOUND', 'Method not found!', 404);
        return;
      }
      case 'hang':
        return; // never answered; the socket is destroyed on close()
      case 'reset':
        request.socket.destroy();
        return;
      case 'non-json-200':
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end(HTML_PAGE('Bitrix24 is being updated'));
        return;
      case 'html-502':
        response.writeHead(502, { 'content-type': 'text/html' });
        response.end(HTML_PAGE('502 Bad Gateway'));
        return;
      case 'html-504':
        response.writeHead(504, { 'content-type': 'text/html' });
        response.end(HTML_PAGE('504 Gateway Time-out'));
        return;
      case 'redirect-302':
        response.writeHead(302, { location: 'https://elsewhere.example/' });
        response.end();
        return;
      case 'html-404':
        response.writeHead(404, { 'content-type': 'text/html' });
        response.end(HTML_PAGE('404 Not Found'));
        return;
      case 'empty-200':
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end();
        return;
      case 'truncated-json':
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"result":{"id":1,"name":"Gener');
        return;
      case 'oversized-200':
        void streamOversized(response);
        return;
      case 'huge-list':
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(hugeListAnswer());
        return;
      case 'deep-nesting':
      case 'large-answer': {
        const body = sizedAnswer(
          fault,
          faults.answerBytes ?? (fault === 'deep-nesting' ? 10 * 1024 * 1024 : 31_000_000),
        );
        response.writeHead(200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        });
        response.end(body);
        return;
      }
      case 'echo-auth': {
        envelope('invalid_token', `The access token provided is invalid: ${credential}`, 401);
        return;
      }
      case 'echo-auth-access': {
        envelope('ACCESS_ERROR', `No access for auth=${credential}`, 403);
        return;
      }
    }
  };

  const handleControl = async (
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
  ): Promise<void> => {
    if (url.pathname === '/_emulator/requests' && request.method === 'GET')
      return send(response, 200, log);
    if (url.pathname === '/_emulator/requests' && request.method === 'DELETE') {
      log.length = 0;
      return send(response, 200, { ok: true });
    }
    if (url.pathname === '/_emulator/stats' && request.method === 'GET')
      return send(response, 200, stats);
    if (url.pathname === '/_emulator/method-time' && request.method === 'DELETE') {
      methodTime.clear();
      return send(response, 200, { ok: true });
    }
    if (url.pathname === '/_emulator/faults' && request.method === 'POST') {
      const body = JSON.parse((await readBody(request)) || '{}') as {
        kind?: unknown;
        times?: unknown;
        latencyMs?: unknown;
        answerBytes?: unknown;
        clear?: unknown;
      };
      if (body.clear === true) faults.clear();
      if (typeof body.latencyMs === 'number') faults.latencyMs = body.latencyMs;
      if (typeof body.answerBytes === 'number') faults.answerBytes = body.answerBytes;
      if (body.kind !== undefined) {
        if (!isFaultKind(body.kind)) return send(response, 400, { error: 'unknown fault kind' });
        faults.inject(body.kind, typeof body.times === 'number' ? body.times : 1);
      }
      return send(response, 200, { pending: faults.pending, latencyMs: faults.latencyMs });
    }
    return send(response, 404, { error: 'NOT_FOUND' });
  };

  const handleRest = async (
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
  ): Promise<void> => {
    const startedAt = Date.now() / 1000;
    const match = REST_PATH.exec(url.pathname);
    const transport: RequestLogEntry['transport'] = match?.[1] !== undefined ? 'webhook' : 'oauth';
    const method = (match?.[3] ?? '').toLowerCase().replace(/\.json$/, '');
    let params: Record<string, unknown> = {};
    let caller: Caller | undefined;
    let commands: ReceivedCommand[] | undefined;
    const record = (status: number, extra: { error?: string; fault?: FaultKind } = {}) => {
      log.push({
        seq: ++seq,
        at: Date.now(),
        transport,
        userId: caller?.user.id ?? null,
        method,
        params: withoutAuth(params),
        ...(commands ? { commands } : {}),
        status,
        ...extra,
      });
    };
    try {
      const body = await readBody(request);
      params = parseParams(request, url, body);
      if (faults.latencyMs > 0)
        await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
      const fault = faults.next();
      if (fault) {
        serveFault(
          fault,
          request,
          response,
          typeof params.auth === 'string' ? params.auth : decodeURIComponent(match?.[2] ?? ''),
        );
        record(fault === 'hang' || fault === 'reset' ? 0 : response.statusCode, { fault });
        return;
      }
      if (!match) throw new PortalError('ERROR_METHOD_NOT_FOUND', 'Method not found!', 404);
      if (bucket && !bucket.tryAdd()) {
        stats.queryLimitRefusals++;
        throw new PortalError('QUERY_LIMIT_EXCEEDED', 'Too many requests', 503);
      }
      if (match[1] !== undefined) {
        caller = portal.authenticateWebhook(match[1], decodeURIComponent(match[2]!));
      } else {
        const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
        const token = params.auth ?? params.access_token ?? bearer;
        caller = portal.authenticateToken(typeof token === 'string' ? token : undefined);
      }
      const runs = methodTime.request();
      try {
        if (method === 'batch') {
          // The batch itself is neither counted nor checked: each command is, against its own
          // method, under the batch's key (the app's; for a webhook, every webhook's).
          const account = caller.batchAccount;
          let batchSeconds = 0;
          const run = portal.runBatch(caller, params, {
            beforeRun: (commandMethod) => {
              if (runs.exhausted(account, commandMethod)) throw operationTimeLimit();
            },
            afterRun: (commandMethod, result, commandStartedAt) => {
              const seconds = charge(runs, account, commandMethod, result);
              batchSeconds += seconds;
              return timeBlock(commandStartedAt, seconds, runs.report(account, commandMethod));
            },
          });
          commands = run.commands;
          // Its own block always says 0, with a reset a whole window ahead: the figures are in result_time.
          const ownTime = {
            operating: 0,
            operating_reset_at: Math.ceil(Date.now() / 1000 + methodTime.windowSeconds),
          };
          if (portal.cannotEncode(run.result)) throw wrongEncoding();
          send(response, 200, {
            result: run.result,
            time: timeBlock(startedAt, batchSeconds, ownTime),
          });
        } else {
          const account = caller.account;
          if (runs.exhausted(account, method)) throw operationTimeLimit();
          const result = portal.runMethod(caller, method, params);
          const seconds = charge(runs, account, method, result);
          if (portal.cannotEncode(result)) throw wrongEncoding();
          send(response, 200, {
            result,
            time: timeBlock(startedAt, seconds, runs.report(account, method)),
          });
        }
      } finally {
        runs.finish();
      }
      record(200);
    } catch (error) {
      const portalError =
        error instanceof PortalError
          ? error
          : new PortalError('INTERNAL_SERVER_ERROR', 'Internal server error', 500);
      send(response, portalError.status, {
        error: portalError.code,
        error_description: portalError.description,
      });
      record(portalError.status, { error: portalError.code });
    }
  };

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://emulator.invalid');
    const handler = url.pathname.startsWith('/_emulator/') ? handleControl : handleRest;
    handler(request, response, url).catch(() => {
      if (!response.headersSent)
        send(response, 500, {
          error: 'INTERNAL_SERVER_ERROR',
          error_description: 'Internal server error',
        });
    });
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url: base,
    webhookUrl: (userId = SAMPLE_USER_ID, secret = DEMO_WEBHOOK_SECRET) =>
      `${base}/rest/${userId}/${secret}/`,
    portal,
    faults,
    methodTime,
    stats,
    emptyBucket: () => bucket?.empty(),
    get requests() {
      return log;
    },
    clearRequests: () => {
      log.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
