import type { CommandOutcome } from '../batch.js';
import { Bitrix24Error, UnreadableDialogError } from '../errors.js';

/** Whether a call failed whole because the portal could not encode its answer. */
export function isWrongEncoding(error: unknown): boolean {
  return error instanceof Bitrix24Error && error.code === 'WRONG_ENCODING';
}

/**
 * Finds the chats that make a call answer `WRONG_ENCODING` (docs/bitrix24-api.md: one chat whose
 * stored text is not valid UTF-8 fails the whole answer): the ids are split in halves, each half
 * asked on its own, and only a half that fails again is split further. One bad chat among 50 costs
 * 12 calls more (two per halving, six halvings); every other id gets its own outcome, and the bad
 * one an `UnreadableDialogError`. A half that fails for another reason gives that error to its ids.
 */
export async function isolateUnreadable(
  ids: readonly string[],
  call: (ids: readonly string[]) => Promise<ReadonlyMap<string, CommandOutcome>>,
  unreadable: (id: string) => Error = (id) => new UnreadableDialogError(id),
): Promise<Map<string, CommandOutcome>> {
  if (ids.length === 1) return new Map([[ids[0]!, { ok: false, error: unreadable(ids[0]!) }]]);
  const middle = Math.ceil(ids.length / 2);
  const parts = await Promise.all(
    [ids.slice(0, middle), ids.slice(middle)].map(async (half) => {
      try {
        return new Map(await call(half));
      } catch (error) {
        if (isWrongEncoding(error)) return isolateUnreadable(half, call, unreadable);
        const failure = error instanceof Error ? error : new Error(String(error));
        return new Map(
          half.map((id): [string, CommandOutcome] => [id, { ok: false, error: failure }]),
        );
      }
    }),
  );
  return new Map(parts.flatMap((part) => [...part]));
}

/**
 * The chats of one portal found unreadable, remembered for a while so that the next page holding
 * one is answered without the calls that found it. A user id names a private chat of the caller, so
 * it is remembered per caller; a chat or workgroup id is the same chat for everyone.
 */
export class UnreadableChats {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  private key(identity: string, dialogId: string): string {
    const id = dialogId.toLowerCase();
    return /^\d+$/.test(id) ? `${identity}|${id}` : id;
  }

  remember(identity: string, dialogId: string): void {
    if (this.until.size >= this.maxEntries) {
      const oldest = this.until.keys().next().value;
      if (oldest !== undefined) this.until.delete(oldest);
    }
    const key = this.key(identity, dialogId);
    this.until.delete(key);
    this.until.set(key, this.now() + this.ttlMs);
  }

  has(identity: string, dialogId: string): boolean {
    const key = this.key(identity, dialogId);
    const until = this.until.get(key);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.until.delete(key);
    return false;
  }
}
