import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { ExportResultCode, parseKeyPairsIntoRecord, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { encodeTraceRequest } from './otlp-json-encoding.js';

/**
 * Sends finished spans to an OTLP collector as OTLP/HTTP JSON: one POST per batch. It stands in
 * for @opentelemetry/exporter-trace-otlp-http, which carries the logs and metrics SDKs and protobuf
 * code (about 10 MB installed) into the runtime for this one request. It reads the same standard
 * environment the same way (its otlp-exporter-base 0.223: endpoint, headers, timeout,
 * compression) and retries as it does: 429, 502, 503, 504 and a dropped or refused connection,
 * with backoff or the collector's Retry-After, within the export's timeout.
 *
 * Uses node's fetch, not got: got goes through the portal egress policy, and a collector is not a
 * portal. Errors say the HTTP status or the network error's code, never a header (one may hold the
 * collector's API key) nor the URL.
 */

export interface OtlpExporterOptions {
  /** Where to POST, e.g. `http://collector:4318/v1/traces`. */
  readonly url: string;
  /** Sent with every export (OTEL_EXPORTER_OTLP_(TRACES_)HEADERS). */
  readonly headers: Readonly<Record<string, string>>;
  /** The whole export, retries included, gives up after this long. */
  readonly timeoutMs: number;
  readonly compression: 'none' | 'gzip';
}

type Env = Readonly<Record<string, string | undefined>>;

// As @opentelemetry/core reads the environment: unset and blank are the same.
const stringFrom = (env: Env, key: string): string | undefined =>
  env[key] == null || env[key].trim() === '' ? undefined : env[key];

function urlFrom(env: Env): string {
  // The signal's own endpoint is used as it is; the shared one gets the signal's path.
  const specific = stringFrom(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  if (specific !== undefined && URL.canParse(specific)) return new URL(specific).href;
  const shared = stringFrom(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (shared !== undefined && URL.canParse(shared)) {
    const url = `${shared.endsWith('/') ? shared : `${shared}/`}v1/traces`;
    if (URL.canParse(url)) return url;
  }
  return 'http://localhost:4318/v1/traces';
}

function timeoutFrom(env: Env, key: string): number | undefined {
  const raw = stringFrom(env, key);
  const value = raw === undefined ? Number.NaN : Number(raw);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

function compressionFrom(env: Env, key: string): 'none' | 'gzip' | undefined {
  const value = stringFrom(env, key)?.trim();
  return value === 'none' || value === 'gzip' ? value : undefined;
}

/** The exporter's options from the standard OTEL_EXPORTER_OTLP_* environment. */
export function otlpTraceOptionsFromEnv(env: Env): OtlpExporterOptions {
  return {
    url: urlFrom(env),
    // Comma-separated key=value pairs, URL-decoded; the traces' own win over the shared ones.
    headers: {
      ...parseKeyPairsIntoRecord(stringFrom(env, 'OTEL_EXPORTER_OTLP_HEADERS')),
      ...parseKeyPairsIntoRecord(stringFrom(env, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS')),
    },
    timeoutMs:
      timeoutFrom(env, 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT') ??
      timeoutFrom(env, 'OTEL_EXPORTER_OTLP_TIMEOUT') ??
      10_000,
    compression:
      compressionFrom(env, 'OTEL_EXPORTER_OTLP_TRACES_COMPRESSION') ??
      compressionFrom(env, 'OTEL_EXPORTER_OTLP_COMPRESSION') ??
      'none',
  };
}

// The maintained exporter's retry policy (otlp-exporter-base's retrying-transport).
const MAX_RETRIES = 5;
const INITIAL_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 5000;
const BACKOFF_MULTIPLIER = 1.5;
const JITTER = 0.2;
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);
/** What a collector may answer at most; more is not read (a collector's answer is tiny). */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

type Attempt =
  | { readonly outcome: 'sent' }
  | { readonly outcome: 'failed'; readonly error: Error }
  | { readonly outcome: 'retryable'; readonly error: Error; readonly retryAfterMs?: number };

/** Retry-After in seconds or as a date (RFC 9110), in ms from now. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number.parseInt(header, 10);
  if (Number.isInteger(seconds)) return Math.max(0, seconds * 1000);
  const delay = new Date(header).getTime() - Date.now();
  return Number.isFinite(delay) ? Math.max(delay, 0) : 0;
}

/**
 * fetch rejects with "fetch failed" and the socket's error (its code) as the cause. Duck-typed:
 * fetch's errors may come from another realm than this module's Error (jest's VM does that).
 */
function networkCodeOf(error: unknown): string | undefined {
  for (let cause = error, depth = 0; depth < 5; depth++) {
    if (typeof cause !== 'object' || cause === null) return undefined;
    const { code, cause: next } = cause as { code?: unknown; cause?: unknown };
    if (typeof code === 'string') return code;
    cause = next;
  }
  return undefined;
}

/**
 * What to say of a failure with no network code: only its kind (a TypeError for an invalid
 * header, whose message would quote the value), or that fetch bars the port (the Fetch
 * standard's "bad ports": 1, 9, 25, 6000…; a collector's 4318 or 443 are fine).
 */
function reasonWithoutCode(error: unknown): string {
  const { name, cause } = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown;
    cause?: { message?: unknown };
  };
  if (cause?.message === 'bad port') return 'fetch refuses to use that port (a "bad port")';
  return typeof name === 'string' ? name : 'unknown error';
}

/** Reads (and so frees the connection for reuse) a response body, up to a bound. */
async function drain(body: ReadableStream<Uint8Array> | null): Promise<void> {
  if (!body) return;
  let bytes = 0;
  for await (const chunk of body) {
    bytes += chunk.byteLength;
    if (bytes > MAX_RESPONSE_BYTES) break; // cancels the stream
  }
}

const gzipped = promisify(gzip);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class OtlpJsonTraceExporter implements SpanExporter {
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly options: OtlpExporterOptions) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    if (this.stopped) {
      done({ code: ExportResultCode.FAILED, error: new Error('the span exporter is shut down') });
      return;
    }
    const sending = this.send(encodeTraceRequest(spans))
      // send() reports the collector's failures; this is for its own (gzip), so done always runs.
      .catch(() => new Error('could not prepare the export (compression failed)'))
      .then((error) =>
        done(error ? { code: ExportResultCode.FAILED, error } : { code: ExportResultCode.SUCCESS }),
      );
    this.inFlight.add(sending);
    void sending.finally(() => this.inFlight.delete(sending));
  }

  /** Waits for the exports in flight (each ends within the timeout). */
  async forceFlush(): Promise<void> {
    await Promise.all(this.inFlight);
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    await this.forceFlush();
  }

  /** Resolves with the reason it gave up, or undefined once the collector took it. */
  private async send(json: string): Promise<Error | undefined> {
    const deadline = Date.now() + this.options.timeoutMs;
    const body = this.options.compression === 'gzip' ? await gzipped(json) : json;
    let backoffMs = INITIAL_BACKOFF_MS;
    for (let retries = 0; ; retries++) {
      const attempt = await this.post(body, deadline - Date.now());
      if (attempt.outcome === 'sent') return undefined;
      if (attempt.outcome === 'failed' || retries === MAX_RETRIES) return attempt.error;
      const jittered = backoffMs * (1 + (Math.random() * 2 - 1) * JITTER);
      const waitMs = attempt.retryAfterMs ?? Math.min(jittered, MAX_BACKOFF_MS);
      backoffMs *= BACKOFF_MULTIPLIER;
      if (waitMs > deadline - Date.now()) return attempt.error;
      await sleep(waitMs);
    }
  }

  private async post(body: string | Uint8Array<ArrayBuffer>, timeoutMs: number): Promise<Attempt> {
    // A plain timer, not AbortSignal.timeout(): on Node 20 that signal can be garbage-collected
    // before it fires, and a hung collector would then hold the export (and shutdown) forever.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), Math.max(0, timeoutMs));
    timer.unref(); // the request's socket keeps the process alive while it matters
    try {
      // The configured headers, then ours over any spelling of theirs (as the maintained
      // exporter, whose Content-Type and User-Agent win). Inside the try: an invalid value throws.
      const headers = new Headers(this.options.headers);
      headers.set('Content-Type', 'application/json');
      headers.set('User-Agent', 'bitrix24-dialog-graphql');
      if (this.options.compression === 'gzip') headers.set('Content-Encoding', 'gzip');
      const response = await fetch(this.options.url, {
        method: 'POST',
        headers,
        body,
        signal: abort.signal,
      });
      // The collector has the spans once it says 2xx; its answer's body is read only to free
      // the connection, and losing it changes nothing.
      await drain(response.body).catch(() => {});
      if (response.ok) return { outcome: 'sent' };
      const error = new Error(`the collector answered HTTP ${response.status}`);
      if (!RETRYABLE_STATUSES.has(response.status)) return { outcome: 'failed', error };
      const after = retryAfterMs(response.headers.get('retry-after'));
      return {
        outcome: 'retryable',
        error,
        ...(after === undefined ? {} : { retryAfterMs: after }),
      };
    } catch (error) {
      if (abort.signal.aborted)
        return {
          outcome: 'retryable',
          error: new Error(`the collector did not answer within ${Math.round(timeoutMs)} ms`),
        };
      // The code only: an error's message may quote what was sent (an invalid header's value).
      const code = networkCodeOf(error);
      return code !== undefined && RETRYABLE_NETWORK_CODES.has(code)
        ? { outcome: 'retryable', error: new Error(`could not reach the collector: ${code}`) }
        : {
            outcome: 'failed',
            error: new Error(
              `could not send to the collector: ${code ?? reasonWithoutCode(error)}`,
            ),
          };
    } finally {
      clearTimeout(timer);
    }
  }
}
