import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config.js';

/** Where a secret could sit in anything we log; pino replaces these values wholesale. */
const REDACTED_PATHS = [
  'authorization',
  'auth',
  'access_token',
  'accessToken',
  'webhookUrl',
  '*.authorization',
  '*.auth',
  '*.access_token',
  '*.accessToken',
  '*.webhookUrl',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
];

export interface LoggerOptions {
  readonly level: LogLevel;
  /** Strings that must never be written (the webhook secret): replaced in every line. */
  readonly secrets?: readonly string[];
  readonly destination?: DestinationStream;
}

/**
 * JSON lines for machines (one object per line, pino's format). Secrets are removed twice: by path
 * (structured fields), and by value as each line is written, for a secret that slipped into a message.
 */
export function createLogger({ level, secrets = [], destination }: LoggerOptions): Logger {
  const needles = secrets.filter((secret) => secret.length >= 4);
  return pino(
    {
      level,
      base: null,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      hooks:
        needles.length === 0
          ? {}
          : {
              streamWrite: (line) =>
                needles.reduce((text, needle) => text.split(needle).join('[redacted]'), line),
            },
    },
    destination,
  );
}
