import DataLoader from 'dataloader';
import pLimit from 'p-limit';
import { chunk, encodeCommand, MAX_BATCH_COMMANDS } from './batch.js';
import type { Bitrix24Client, CallOptions } from './client.js';
import { callerIdentity, type Credentials } from './credentials.js';
import type { DialogCache } from './dialog-cache.js';
import { normaliseDialogId } from './dialog-id.js';
import { DialogIdEmptyError, withDialogId } from './errors.js';
import { readDialog } from './read-dialog.js';
import type { Dialog } from './types.js';

const METHOD = 'im.dialog.get';

export interface DialogLoaderOptions {
  readonly client: Bitrix24Client;
  readonly credentials: Credentials;
  /** Batch calls of one GraphQL request in flight at once. */
  readonly maxConcurrentBatches?: number;
  /** The request's deadline and cancellation, for every call the loader makes. */
  readonly callOptions?: CallOptions;
  /** Dialogs of this caller loaded by earlier requests (CACHE_TTL_MS); none: always ask the portal. */
  readonly cache?: DialogCache;
}

/**
 * Loads dialogs for one GraphQL request and one caller. Every path to a dialog (fields, aliases,
 * `dialogs`, federation `_entities`) goes through one instance, so a request costs at most
 * ⌈distinct ids ÷ 50⌉ HTTP calls: duplicates are asked once, one id is a plain `im.dialog.get`,
 * more are `batch` calls of up to 50 commands.
 *
 * `load` resolves to the dialog, or rejects with a `DialogLookupError` (the documented per-dialog
 * errors) or a `Bitrix24Error` (the call failed).
 */
export class DialogLoader {
  private readonly loader: DataLoader<string, Dialog>;

  constructor(private readonly options: DialogLoaderOptions) {
    const limit = pLimit(options.maxConcurrentBatches ?? 4);
    const loadFromPortal = (ids: readonly string[]) =>
      Promise.all(chunk(ids, MAX_BATCH_COMMANDS).map((part) => limit(() => this.loadChunk(part)))).then((parts) => parts.flat());
    this.loader = new DataLoader<string, Dialog>(
      (ids) => (options.cache ? this.loadThroughCache(options.cache, ids, loadFromPortal) : loadFromPortal(ids)),
      // Batches are split by us (loadFromPortal) so that chunks share one concurrency limit.
      { maxBatchSize: Infinity },
    );
  }

  /** Serves what the cache holds for this caller and asks the portal only for the rest. */
  private async loadThroughCache(
    cache: DialogCache,
    ids: readonly string[],
    loadFromPortal: (ids: readonly string[]) => Promise<Array<Dialog | Error>>,
  ): Promise<Array<Dialog | Error>> {
    const identity = callerIdentity(this.options.credentials);
    const cached = await cache.getMany(identity, ids);
    const missing = ids.filter((id) => !cached.has(id));
    const loaded = missing.length > 0 ? await loadFromPortal(missing) : [];
    const fresh = new Map(missing.map((id, index) => [id, loaded[index]!]));
    await cache.setMany(identity, [...fresh.values()].filter((result): result is Dialog => !(result instanceof Error)));
    return ids.map((id) => cached.get(id) ?? fresh.get(id)!);
  }

  async load(rawId: string): Promise<Dialog> {
    const id = normaliseDialogId(rawId);
    if (id instanceof DialogIdEmptyError) throw id;
    return this.loader.load(id);
  }

  private async loadChunk(ids: readonly string[]): Promise<Array<Dialog | Error>> {
    const { client, credentials, callOptions } = this.options;
    if (ids.length === 1) {
      const id = ids[0]!;
      try {
        const { result } = await client.call(credentials, METHOD, { DIALOG_ID: id }, callOptions);
        return [readDialog(id, result)];
      } catch (error) {
        return [withDialogId(error as Error, id)];
      }
    }
    const commands = Object.fromEntries(ids.map((id, index) => [`d${index}`, encodeCommand(METHOD, { DIALOG_ID: id })]));
    let outcomes;
    try {
      outcomes = await client.batch(credentials, commands, callOptions);
    } catch (error) {
      return ids.map(() => error as Error);
    }
    return ids.map((id, index) => {
      const outcome = outcomes.get(`d${index}`)!;
      if (!outcome.ok) return withDialogId(outcome.error, id);
      try {
        return readDialog(id, outcome.result);
      } catch (error) {
        return error as Error;
      }
    });
  }
}
