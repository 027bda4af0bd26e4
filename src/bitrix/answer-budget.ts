/**
 * A bound on the bytes of upstream answers being read and parsed at once, all calls together.
 *
 * Each answer is capped (BITRIX24_MAX_ANSWER_BYTES), but not their sum: 20 concurrent 31 MB answers
 * took the process from 296 MB to 2.5 GB, most of it the objects their parses build. Here every
 * chunk of an answer is taken from one shared budget before it is kept, and given back once the
 * answer is parsed; a chunk that does not fit waits, and while it waits nothing more is read from
 * that socket (TCP flow control holds the rest at the portal).
 *
 * Waiting never deadlocks: the oldest answer holding bytes is always served, so it completes and
 * frees its bytes for the next; the sum stays under `total` plus that one answer plus the free
 * bytes of each answer under way (BITRIX24_MAX_ANSWER_BYTES_IN_FLIGHT is at least the cap). The
 * first `freeBytes` of every answer are granted at once, so the everyday answers of a few
 * kilobytes (another portal's, another caller's) never queue behind a few huge ones.
 */
export class AnswerBudget {
  private used = 0;
  private highWater = 0;
  /** Leases holding bytes, oldest first (a Set keeps insertion order). */
  private readonly holders = new Set<AnswerLease>();
  private readonly waiting: Waiter[] = [];

  constructor(
    readonly total: number,
    readonly freeBytes = 64 * 1024,
  ) {}

  /** Bytes taken now, all answers together. */
  get inUse(): number {
    return this.used;
  }

  /** The most bytes ever taken at once (bench, tests). */
  get peak(): number {
    return this.highWater;
  }

  /** Answers waiting for bytes now. */
  get queued(): number {
    return this.waiting.length;
  }

  /** A lease for one answer: take its bytes as they arrive, release them all once it is parsed. */
  lease(): AnswerLease {
    return new AnswerLease(this);
  }

  /** @internal */
  take(lease: AnswerLease, bytes: number, signal: AbortSignal | undefined): Promise<void> | void {
    // Answers under way, and answers still within their free bytes, do not queue behind newcomers.
    const mayPass =
      this.waiting.length === 0 || lease.held > 0 || lease.held + bytes <= this.freeBytes;
    if (mayPass && this.grantable(lease, bytes)) {
      this.grant(lease, bytes);
      return;
    }
    signal?.throwIfAborted();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { lease, bytes, resolve, reject, signal, onAbort: () => undefined };
      waiter.onAbort = () => {
        const index = this.waiting.indexOf(waiter);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal?.reason);
        // Its place may have held back others that fit.
        this.drain();
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  /** @internal */
  release(lease: AnswerLease): void {
    this.used -= lease.held;
    this.holders.delete(lease);
    this.drain();
  }

  private oldestHolder(): AnswerLease | undefined {
    return this.holders.values().next().value;
  }

  private grantable(lease: AnswerLease, bytes: number): boolean {
    return (
      this.used + bytes <= this.total ||
      lease.held + bytes <= this.freeBytes ||
      this.used === 0 ||
      this.oldestHolder() === lease
    );
  }

  private grant(lease: AnswerLease, bytes: number): void {
    lease.held += bytes;
    this.used += bytes;
    this.highWater = Math.max(this.highWater, this.used);
    this.holders.add(lease);
  }

  /**
   * Serves the waiters that can go, in arrival order. An answer not started yet that does not fit
   * keeps later answers not started yet behind it (no starving a big one by many small ones);
   * answers already under way may pass it, since finishing them is what frees bytes.
   */
  private drain(): void {
    let blockedNewcomer = false;
    for (let index = 0; index < this.waiting.length; ) {
      const waiter = this.waiting[index]!;
      const started = waiter.lease.held > 0;
      if ((started || !blockedNewcomer) && this.grantable(waiter.lease, waiter.bytes)) {
        this.waiting.splice(index, 1);
        waiter.signal?.removeEventListener('abort', waiter.onAbort);
        this.grant(waiter.lease, waiter.bytes);
        waiter.resolve();
        continue;
      }
      if (!started) blockedNewcomer = true;
      index++;
    }
  }
}

interface Waiter {
  readonly lease: AnswerLease;
  readonly bytes: number;
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  onAbort: () => void;
}

/** The bytes one answer holds in its budget. */
export class AnswerLease {
  /** @internal */
  held = 0;
  private released = false;

  constructor(private readonly budget: AnswerBudget) {}

  /** Takes `bytes` more: at once if they fit, else once they do; rejects if `signal` aborts first. */
  take(bytes: number, signal?: AbortSignal): Promise<void> | void {
    return this.budget.take(this, bytes, signal);
  }

  /** Gives every byte back (idempotent). */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.budget.release(this);
  }
}
