import { Bitrix24Error } from '../errors.js';

/**
 * Unproven callers (tokens the portal has not answered yet) waiting at once, per portal: about
 * the most a standard portal's budget can prove before the default deadline (a whole idle bucket
 * of 50, then 2 calls/s × 25 s), each needing a call of its own. A flood of made-up tokens past
 * that is answered at once instead of queueing for turns it would never get in time.
 */
export const DEFAULT_MAX_UNPROVEN_WAITING = 100;

/** One call in this many goes to an unproven caller while accepted callers wait. */
export const DEFAULT_UNPROVEN_SHARE = 4;

export const newcomersFull = () =>
  new Bitrix24Error({
    failure: 'rate-limited',
    code: 'PACING_NEWCOMERS_FULL',
    message:
      'Too many callers the portal has not accepted yet are already waiting for its rate budget',
    retryable: false,
    local: true,
  });
