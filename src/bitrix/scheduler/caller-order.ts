/**
 * Which caller's lookups the next call carries. Callers with lookups waiting take turns (round
 * robin), in two classes:
 *
 * - **accepted**: the deployment's webhook, and OAuth tokens the portal has already answered;
 * - **unproven**: OAuth tokens the portal has not answered yet. Anyone can make up a token, so a
 *   flood of fresh random tokens must not take the turns of callers the portal knows.
 *
 * Accepted callers go first. Unproven ones take the turns accepted callers leave free, and while
 * accepted callers wait, one call in `unprovenShare` (a new real user still gets in, slowly;
 * a flood of made-up tokens gets that share and no more).
 */
export class CallerOrder {
  private order: string[] = [];
  /** Calls of accepted callers since an unproven caller last had one. */
  private acceptedInRow = 0;

  constructor(
    /** One call in this many goes to an unproven caller while accepted callers wait (≥ 2). */
    private readonly unprovenShare: number,
    private readonly isUnproven: (identity: string) => boolean,
  ) {
    if (!(unprovenShare >= 2)) throw new RangeError('unprovenShare must be at least 2');
  }

  /** The identities in round-robin order, whatever their class (for tests and logs). */
  get identities(): readonly string[] {
    return this.order;
  }

  add(identity: string): void {
    if (!this.order.includes(identity)) this.order.push(identity);
  }

  remove(identity: string): void {
    this.order = this.order.filter((other) => other !== identity);
  }

  /** Whether an unproven caller's turn comes before accepted callers' now. */
  private unprovenTurn(): boolean {
    return this.acceptedInRow >= this.unprovenShare - 1;
  }

  /** The identities in the order the next call should consider them. */
  candidates(): string[] {
    const accepted: string[] = [];
    const unproven: string[] = [];
    for (const identity of this.order)
      (this.isUnproven(identity) ? unproven : accepted).push(identity);
    return this.unprovenTurn() ? [...unproven, ...accepted] : [...accepted, ...unproven];
  }

  /** `identity` (unproven or not when its call was taken) just had a call: it goes to the back of the line. */
  served(
    identity: string,
    { unproven, stillWaiting }: { unproven: boolean; stillWaiting: boolean },
  ): void {
    this.acceptedInRow = unproven ? 0 : this.acceptedInRow + 1;
    this.remove(identity);
    if (stillWaiting) this.order.push(identity);
  }

  /**
   * When each caller's calls would leave if nothing else arrived: for each identity, the 1-based
   * slots of its 1st, 2nd… call, given how many calls each one has waiting. The same rule as
   * `candidates` + `served`, played forward (the pacing estimate uses it).
   */
  slots(callsOf: ReadonlyMap<string, number>): Map<string, number[]> {
    const accepted: Array<[string, number]> = [];
    const unproven: Array<[string, number]> = [];
    for (const identity of this.order) {
      const calls = callsOf.get(identity) ?? 0;
      if (calls > 0) (this.isUnproven(identity) ? unproven : accepted).push([identity, calls]);
    }
    const slots = new Map<string, number[]>();
    let acceptedInRow = this.acceptedInRow;
    let slot = 0;
    // Index-based queues: each pass takes one call of the caller at the head and requeues it.
    let acceptedHead = 0;
    let unprovenHead = 0;
    while (acceptedHead < accepted.length || unprovenHead < unproven.length) {
      slot++;
      const unprovenGoes =
        unprovenHead < unproven.length &&
        (acceptedHead >= accepted.length || acceptedInRow >= this.unprovenShare - 1);
      const line = unprovenGoes ? unproven : accepted;
      const head = unprovenGoes ? unprovenHead++ : acceptedHead++;
      const [identity, left] = line[head]!;
      const mine = slots.get(identity) ?? [];
      slots.set(identity, mine);
      mine.push(slot);
      if (left > 1) line.push([identity, left - 1]);
      acceptedInRow = unprovenGoes ? 0 : acceptedInRow + 1;
    }
    return slots;
  }
}
