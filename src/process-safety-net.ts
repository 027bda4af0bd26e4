import type { Logger } from 'pino';

export interface SafetyNetOptions {
  readonly logger: Logger;
  /** Counts each unhandled rejection (the `process_unhandled_rejections_total` metric). */
  readonly onUnhandledRejection: () => void;
  /** Graceful shutdown with the exit code to end with. */
  readonly shutdown: (reason: string, exitCode: number) => void;
}

/**
 * The process-level net under every request. A promise rejected with nobody listening is a bug,
 * but Node's default ends the process on one, and so every request in flight with it: one bad
 * request could take down every replica. It is logged and counted, and the server keeps serving.
 * An uncaught exception is different: it left some code half-way through, so the state it leaves
 * cannot be trusted; the server drains what is in flight and exits 1 for its supervisor to restart.
 */
export function installProcessSafetyNet({
  logger,
  onUnhandledRejection,
  shutdown,
}: SafetyNetOptions): void {
  process.on('unhandledRejection', (reason) => {
    onUnhandledRejection();
    logger.error(
      { err: reason },
      'unhandled promise rejection (a bug: please report it); the server keeps serving',
    );
  });
  process.on('uncaughtException', (error, origin) => {
    logger.fatal({ err: error, origin }, 'uncaught exception: shutting down gracefully');
    shutdown('uncaughtException', 1);
  });
}
