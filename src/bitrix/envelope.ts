import { Bitrix24Error, errorFromEnvelope, failureForStatus } from './errors.js';

/** The `time` block of a successful answer. Every field is optional: older portals lack some. */
export interface TimeBlock {
  readonly start?: number;
  readonly finish?: number;
  readonly duration?: number;
  readonly processing?: number;
  /** Seconds of method time used in the current window (newer portals only). */
  readonly operating?: number;
  /** Unix seconds when the method-time window resets (newer portals only). */
  readonly operating_reset_at?: number;
}

export interface SuccessEnvelope {
  readonly result: unknown;
  readonly time?: TimeBlock;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A JSON "object" from PHP: an empty object is encoded as `[]`, and a map whose keys are 0..n-1 as a
 * list. Either way we want the key → value map.
 */
export function phpMap(value: unknown): Record<string, unknown> {
  if (isRecord(value)) return value;
  if (Array.isArray(value))
    return Object.fromEntries(value.map((item, index) => [String(index), item]));
  return {};
}

function readTime(value: unknown): TimeBlock | undefined {
  if (!isRecord(value)) return undefined;
  const numberAt = (key: string): number | undefined => {
    const raw = value[key];
    const parsed = typeof raw === 'string' ? Number(raw) : raw;
    return typeof parsed === 'number' && Number.isFinite(parsed) ? parsed : undefined;
  };
  const time: Record<string, number> = {};
  for (const key of [
    'start',
    'finish',
    'duration',
    'processing',
    'operating',
    'operating_reset_at',
  ]) {
    const parsed = numberAt(key);
    if (parsed !== undefined) time[key] = parsed;
  }
  return time;
}

/** The error for an answer whose body is not JSON: HTML error pages, empty or truncated bodies. */
export function notJsonAnswer(status: number, empty: boolean): Bitrix24Error {
  const failure = status < 400 ? 'unavailable' : failureForStatus(status);
  const what = empty ? 'an empty body' : 'a body that is not JSON';
  return new Bitrix24Error({
    failure,
    code: 'NON_JSON_ANSWER',
    message: `Bitrix24 answered HTTP ${status} with ${what}`,
    status,
  });
}

/** What a parsed JSON answer of the REST API says: the success envelope, or throws the typed error. */
export function interpretEnvelope(status: number, parsed: unknown): SuccessEnvelope {
  if (isRecord(parsed) && typeof parsed.error === 'string' && parsed.error !== '') {
    throw errorFromEnvelope(parsed.error, parsed.error_description, status);
  }
  if (status >= 400) {
    throw new Bitrix24Error({
      failure: failureForStatus(status),
      code: `HTTP_${status}`,
      message: `Bitrix24 answered HTTP ${status} without an error code`,
      status,
    });
  }
  if (!isRecord(parsed) || !('result' in parsed)) {
    throw new Bitrix24Error({
      failure: 'unavailable',
      code: 'UNEXPECTED_ANSWER',
      message: 'Bitrix24 answered JSON without "result" or "error"',
      status,
    });
  }
  const time = readTime(parsed.time);
  return time === undefined ? { result: parsed.result } : { result: parsed.result, time };
}

/**
 * Reads one HTTP answer of the REST API: the success envelope, or throws the typed error.
 * Survives what proxies send in front of a portal: HTML error pages, empty or truncated bodies.
 */
export function parseEnvelope(status: number, body: string): SuccessEnvelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw notJsonAnswer(status, body.trim() === '');
  }
  return interpretEnvelope(status, parsed);
}
