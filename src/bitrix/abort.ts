/** Why a request's upstream work was cut short: its deadline passed, or its client went away. */
export type AbortCause = 'deadline' | 'client-closed';

/** The reason a request's signal aborts with; the scheduler reads it to answer with the right code. */
export class RequestAborted extends Error {
  constructor(readonly why: AbortCause) {
    super(why === 'deadline' ? "The request's deadline passed" : 'The client closed the request');
    this.name = 'RequestAborted';
  }
}

/** What an aborted signal's reason says about the cause (a signal aborted by anyone else: the deadline). */
export function abortCauseOf(signal: AbortSignal): AbortCause {
  return signal.reason instanceof RequestAborted ? signal.reason.why : 'deadline';
}
