import type { TimeBlock } from './envelope.js';

export interface OperatingTimeOptions {
  /** Seconds of method time a portal allows per window (480 per 10 minutes on newer portals). */
  readonly budgetSeconds: number;
  /** Share of the budget past which we stop sending until the window resets. */
  readonly pauseAt: number;
  /** Assumed wait after an OPERATION_TIME_LIMIT refusal when the portal never told us its reset time. */
  readonly fallbackPauseMs: number;
}

interface PortalState {
  operating: number;
  /** Epoch ms. */
  resetAt: number;
}

/**
 * Tracks each portal's method-time budget from the `time.operating` / `time.operating_reset_at`
 * fields of its answers (newer portals only; older ones never pause us). Past `pauseAt` of the budget,
 * or after an OPERATION_TIME_LIMIT refusal, calls wait for the window to reset instead of spending
 * the rest of it, which would block the method for every app on the portal.
 *
 * We call one method (`im.dialog.get`, alone or inside `batch`), so the budget is tracked per portal.
 */
export class OperatingTime {
  private readonly portals = new Map<string, PortalState>();

  constructor(private readonly options: OperatingTimeOptions) {}

  record(portal: string, times: readonly (TimeBlock | undefined)[]): void {
    for (const time of times) {
      if (time?.operating === undefined || time.operating_reset_at === undefined) continue;
      const resetAt = time.operating_reset_at * 1000;
      const known = this.portals.get(portal);
      if (!known || resetAt > known.resetAt || time.operating > known.operating) {
        this.portals.set(portal, { operating: time.operating, resetAt });
      }
    }
  }

  recordRefusal(portal: string): void {
    const known = this.portals.get(portal);
    const resetAt = known && known.resetAt > Date.now() ? known.resetAt : Date.now() + this.options.fallbackPauseMs;
    this.portals.set(portal, { operating: this.options.budgetSeconds, resetAt });
  }

  /** Epoch ms until which calls to `portal` should not go out; 0 when they may. */
  pausedUntil(portal: string): number {
    const state = this.portals.get(portal);
    if (!state) return 0;
    if (Date.now() >= state.resetAt) {
      this.portals.delete(portal);
      return 0;
    }
    return state.operating >= this.options.budgetSeconds * this.options.pauseAt ? state.resetAt : 0;
  }
}
