import DataLoader from 'dataloader';
import { readThroughCache } from './read-through-cache.js';
import { callerIdentity, type Credentials } from './credentials.js';
import type { DialogCache } from './dialog-cache.js';
import { normaliseDialogId } from './dialog-id.js';
import { DialogIdEmptyError, withDialogId } from './errors.js';
import { readDialog } from './read-dialog.js';
import { DialogAnswer, type DialogLookups, type PeoplePlan } from './scheduler/lookup.js';

export type { DialogLookups } from './scheduler/lookup.js';
import type { Dialog } from './types.js';
import type { UserLoader } from './user-loader.js';

/** Where lookups go: the upstream scheduler (or a stand-in in unit tests). */
export interface DialogLoaderOptions {
  readonly lookups: DialogLookups;
  readonly credentials: Credentials;
  /** Epoch ms by which the request must have its answers. */
  readonly deadline: number;
  /** The request's deadline and its client going away. */
  readonly signal?: AbortSignal | undefined;
  /** Told of each HTTP call that carried one of this request's lookups. */
  readonly onCall?: (() => void) | undefined;
  /** Dialogs of this caller loaded by earlier requests (CACHE_TTL_MS); none: always ask the portal. */
  readonly cache?: DialogCache | undefined;
  /** The same request's user loader: people a dialog's call read by reference are handed to it. */
  readonly users?: UserLoader | undefined;
  /** Wraps each batch of ids DataLoader gathers (tracing): call `load` once and pass its result on. */
  readonly aroundBatch?: <T>(ids: readonly string[], load: () => Promise<T>) => Promise<T>;
}

/**
 * Loads dialogs for one GraphQL request and one caller. Every path to a dialog (fields, aliases,
 * `dialogs`, federation `_entities`) goes through one instance: duplicates are asked once, cached
 * dialogs are not asked at all, and the rest go to the upstream scheduler as lookups, which packs
 * them (with other requests' lookups of the same caller) into calls of up to 50: a request alone
 * costs at most ⌈distinct ids ÷ 50⌉ HTTP calls.
 *
 * `load` resolves to the dialog, or rejects with a `DialogLookupError` (the documented per-dialog
 * errors) or a `Bitrix24Error` (the call failed).
 */
export class DialogLoader {
  private readonly loader: DataLoader<string, Dialog>;
  /** The people each id's dialog should bring along, gathered until its lookup leaves. */
  private readonly plans = new Map<string, PeoplePlan>();

  constructor(private readonly options: DialogLoaderOptions) {
    const { cache, aroundBatch } = options;
    const load = (ids: readonly string[]) =>
      cache ? this.loadThroughCache(cache, ids) : this.loadFromPortal(ids);
    this.loader = new DataLoader<string, Dialog>(
      (ids) => (aroundBatch ? aroundBatch(ids, () => load(ids)) : load(ids)),
      // The scheduler packs lookups into calls of 50; DataLoader only gathers one tick's ids.
      { maxBatchSize: Infinity },
    );
  }

  /**
   * `people`: the dialog's people the operation will ask for (looked ahead), to read in the
   * dialog's own call by reference.
   */
  async load(rawId: string, people?: PeoplePlan): Promise<Dialog> {
    const id = normaliseDialogId(rawId);
    if (id instanceof DialogIdEmptyError) throw id;
    if (people && (people.owner || people.managers)) {
      const known = this.plans.get(id);
      this.plans.set(id, {
        owner: people.owner || known?.owner === true,
        managers: people.managers || known?.managers === true,
      });
    }
    return this.loader.load(id);
  }

  private loadFromPortal(ids: readonly string[]): Promise<Array<Dialog | Error>> {
    const { lookups, credentials, deadline, signal, onCall, users } = this.options;
    return Promise.all(
      ids.map((id) => {
        const people = this.plans.get(id);
        this.plans.delete(id);
        return lookups
          .lookupDialog({ credentials, dialogId: id, people, deadline, signal, onCall })
          .then(
            (answer) => {
              // Hand the people on before the dialog resolves: its edges' resolvers ask for them next.
              if (answer instanceof DialogAnswer) users?.prime(answer.people);
              const raw = answer instanceof DialogAnswer ? answer.raw : answer;
              try {
                return readDialog(id, raw);
              } catch (error) {
                return error as Error;
              }
            },
            (error: unknown) => withDialogId(error as Error, id),
          );
      }),
    );
  }

  /** Serves what the cache holds for this caller and asks the portal only for the rest. */
  private loadThroughCache(
    cache: DialogCache,
    ids: readonly string[],
  ): Promise<Array<Dialog | Error>> {
    const identity = callerIdentity(this.options.credentials);
    return readThroughCache(cache, identity, ids, (missing) => this.loadFromPortal(missing));
  }
}
