import { describe, expect, it } from '@jest/globals';
import type { Credentials } from '../../src/bitrix/credentials.js';
import { DialogCache, MemoryDialogCacheStore } from '../../src/bitrix/dialog-cache.js';
import { DialogLoader, type DialogLookups } from '../../src/bitrix/dialog-loader.js';
import { AccessError, Bitrix24Error, DialogIdEmptyError } from '../../src/bitrix/errors.js';
import type { DialogLookupRequest } from '../../src/bitrix/scheduler/lookup.js';

const credentials: Credentials = {
  kind: 'webhook',
  webhookUrl: new URL('https://portal.example/rest/1/x/'),
};
const raw = (id: string) => ({
  id: Number(id.replace(/\D/g, '')) || 1,
  name: `Dialog ${id}`,
  date_create: '2026-01-01T00:00:00+03:00',
});

/** A stand-in for the upstream scheduler that records the lookups the loader hands in (unit test only). */
class FakeLookups implements DialogLookups {
  readonly requests: DialogLookupRequest[] = [];
  fail?: Error;

  async lookupDialog(request: DialogLookupRequest): Promise<unknown> {
    this.requests.push(request);
    if (this.fail) throw this.fail;
    if (request.dialogId === 'chat666') throw new AccessError('', 'no');
    if (request.dialogId === 'chat13') return { name: 'no id' };
    return raw(request.dialogId);
  }

  get ids(): string[] {
    return this.requests.map((request) => request.dialogId);
  }
}

const deadline = Date.now() + 60_000;
const loaderWith = (
  lookups: FakeLookups,
  extra: Partial<ConstructorParameters<typeof DialogLoader>[0]> = {},
) => new DialogLoader({ lookups, credentials, deadline, ...extra });

describe('DialogLoader', () => {
  it('hands each distinct id to the scheduler once, with the request’s deadline, signal and call counter', async () => {
    const lookups = new FakeLookups();
    const signal = new AbortController().signal;
    const onCall = () => undefined;
    const loader = loaderWith(lookups, { signal, onCall });
    const dialogs = await Promise.all(
      ['chat1', 'chat2', 'chat1', ' chat2', 'chat1'].map((id) => loader.load(id)),
    );
    expect(dialogs.map((dialog) => dialog.id)).toEqual([
      'chat1',
      'chat2',
      'chat1',
      'chat2',
      'chat1',
    ]);
    expect(lookups.ids).toEqual(['chat1', 'chat2']);
    expect(lookups.requests[0]).toMatchObject({ credentials, deadline, signal, onCall });
  });

  it('rejects each key with its own error, the AccessError carrying the id, blank ids never handed in', async () => {
    const lookups = new FakeLookups();
    const loader = loaderWith(lookups);
    const results = await Promise.allSettled(
      ['chat1', 'chat666', '', 'chat13'].map((id) => loader.load(id)),
    );
    expect(results[0]).toMatchObject({ status: 'fulfilled' });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: expect.any(AccessError) });
    expect((results[1] as PromiseRejectedResult).reason.dialogId).toBe('chat666');
    expect(results[2]).toMatchObject({
      status: 'rejected',
      reason: expect.any(DialogIdEmptyError),
    });
    expect(results[3]).toMatchObject({ status: 'rejected', reason: { code: 'UNEXPECTED_ANSWER' } });
    expect(lookups.ids).toEqual(['chat1', 'chat666', 'chat13']);
  });

  it('fails every key with the scheduler’s error when the call fails', async () => {
    const lookups = new FakeLookups();
    lookups.fail = new Bitrix24Error({
      failure: 'unavailable',
      code: 'INTERNAL_SERVER_ERROR',
      message: 'down',
      status: 500,
    });
    const results = await Promise.allSettled(
      ['chat1', 'chat2'].map((id) => loaderWith(lookups).load(id)),
    );
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });

  it('serves cached dialogs of the same caller without handing them in again', async () => {
    const lookups = new FakeLookups();
    const cache = new DialogCache(new MemoryDialogCacheStore(100), 60_000);
    await loaderWith(lookups, { cache }).load('chat1');
    await Promise.all(['chat1', 'chat2'].map((id) => loaderWith(lookups, { cache }).load(id)));
    expect(lookups.ids).toEqual(['chat1', 'chat2']);
  });
});
