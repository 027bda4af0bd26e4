import type { Redis } from 'ioredis';

export interface RedisHealthOptions {
  /** How often a connected Redis is asked to answer a PING (default 1 s). */
  readonly intervalMs?: number;
  /** How long it has to answer (default 500 ms). */
  readonly timeoutMs?: number;
  /** A connected Redis did not answer in time (hung, e.g. SIGSTOP, or a network black hole). */
  onHung(error: Error): void;
  /** It answered. */
  onAnswer(): void;
}

/**
 * Watches a Redis that is connected but may have stopped answering. ioredis tells when the
 * connection closes, not when the server behind it hangs: the socket stays open and every command
 * waits for its timeout. A PING with a short timeout, every second, tells the difference, so the
 * server can say it runs degraded (`/readiness`) and pace locally at once instead of after each
 * command's timeout. Returns a function that stops watching.
 */
export function watchRedisHealth(redis: Redis, options: RedisHealthOptions): () => void {
  const timeoutMs = options.timeoutMs ?? 500;
  let probing = false;
  const probe = async () => {
    // A closed or reconnecting connection is told by ioredis's own events.
    if (probing || redis.status !== 'ready') return;
    probing = true;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        redis.ping(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`redis did not answer a PING within ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]);
      options.onAnswer();
    } catch (error) {
      if (redis.status === 'ready')
        options.onHung(error instanceof Error ? error : new Error(String(error)));
    } finally {
      clearTimeout(timer);
      probing = false;
    }
  };
  const interval = setInterval(() => void probe(), options.intervalMs ?? 1000);
  interval.unref();
  return () => clearInterval(interval);
}
