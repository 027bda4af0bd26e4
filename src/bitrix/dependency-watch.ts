import type { Logger } from 'pino';

/** A change of a dependency's state, for a metric (`dependency_up`). */
export interface AvailabilityChange {
  /** What kind of dependency: `redis`, `portal`, `otlp`. */
  readonly dependency: string;
  /** Which one: a host (`redis:6379`, `acme.bitrix24.com`), never a URL (a webhook's holds its secret). */
  readonly target: string;
  readonly available: boolean;
}

export type AvailabilityListener = (change: AvailabilityChange) => void;

export interface DependencyWatchOptions {
  readonly dependency: string;
  readonly logger: Logger;
  /** Logged once (warn) when a target goes away, with the reason of the failure that showed it. */
  readonly lostMessage: (target: string) => string;
  /** Logged once (info) when it answers again. */
  readonly backMessage: (target: string) => string;
  /** Logged (info) the first time a target answers, if given (Redis says it is ready at start). */
  readonly firstMessage?: (target: string) => string;
  /** Failures in a row that make an outage: 1 for a connection that reports its own state. */
  readonly failuresToLose?: number;
  readonly onChange?: AvailabilityListener;
  /** Targets tracked at most (multi-portal mode: names come from requests); the oldest go first. */
  readonly maxTargets?: number;
}

interface TargetState {
  available: boolean | undefined;
  failuresInARow: number;
  lostAt: number;
}

/**
 * One warning when a dependency goes away, one info line when it is back, and a state for the
 * metric, however many requests meet the outage in between: a failing Redis or portal is a fact
 * about the dependency, not about each request, so requests never log it (or its stack) themselves.
 */
export class DependencyWatch {
  private readonly targets = new Map<string, TargetState>();

  constructor(private readonly options: DependencyWatchOptions) {}

  private stateOf(target: string): TargetState {
    let state = this.targets.get(target);
    if (state === undefined) {
      if (this.targets.size >= (this.options.maxTargets ?? 1000)) {
        const oldest = this.targets.keys().next().value;
        if (oldest !== undefined) this.targets.delete(oldest);
      }
      state = { available: undefined, failuresInARow: 0, lostAt: 0 };
      this.targets.set(target, state);
    }
    return state;
  }

  /** The target answered. */
  succeeded(target: string): void {
    const state = this.stateOf(target);
    state.failuresInARow = 0;
    if (state.available === true) return;
    const { logger, dependency } = this.options;
    if (state.available === false) {
      logger.info(
        { dependency, target, downForMs: Date.now() - state.lostAt },
        this.options.backMessage(target),
      );
    } else if (this.options.firstMessage) {
      logger.info({ dependency, target }, this.options.firstMessage(target));
    }
    state.available = true;
    this.options.onChange?.({ dependency, target, available: true });
  }

  /** The target failed; `reason` is a code or a short message (no stack, no URL, no secret). */
  failed(target: string, reason: string | undefined): void {
    const state = this.stateOf(target);
    state.failuresInARow += 1;
    if (state.available === false) return;
    if (state.failuresInARow < (this.options.failuresToLose ?? 1)) return;
    const { logger, dependency } = this.options;
    state.available = false;
    state.lostAt = Date.now();
    logger.warn({ dependency, target, reason }, this.options.lostMessage(target));
    this.options.onChange?.({ dependency, target, available: false });
  }

  /** Whether the target is known to be away (an unknown one is not). */
  isLost(target: string): boolean {
    return this.targets.get(target)?.available === false;
  }
}

/** A failure's short reason for a log line: its message only, never its stack. */
export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
