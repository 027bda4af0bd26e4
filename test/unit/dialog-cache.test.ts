import { describe, expect, it } from '@jest/globals';
import { callerIdentity } from '../../src/bitrix/credentials.js';
import {
  DialogCache,
  type DialogCacheStore,
  dialogSize,
  MemoryDialogCacheStore,
} from '../../src/bitrix/dialog-cache.js';
import type { Dialog } from '../../src/bitrix/types.js';

const dialog = (id: string) => ({ id, title: id }) as unknown as Dialog;

class RecordingStore implements DialogCacheStore {
  readonly keys: string[] = [];
  fail = false;
  async getMany(keys: readonly string[]) {
    if (this.fail) throw new Error('store down');
    this.keys.push(...keys);
    return keys.map(() => undefined);
  }
  async setMany(entries: ReadonlyArray<readonly [string, Dialog]>) {
    if (this.fail) throw new Error('store down');
    this.keys.push(...entries.map(([key]) => key));
  }
}

describe('DialogCache', () => {
  it('keys entries by a hash of the caller, never by the token or the webhook secret', async () => {
    const store = new RecordingStore();
    const cache = new DialogCache(store, 1000);
    const token = 'secret-access-token-1234567890';
    const identity = callerIdentity({
      kind: 'oauth',
      portalUrl: new URL('https://acme.bitrix24.com/'),
      accessToken: token,
    });
    await cache.getMany(identity, ['chat1']);
    await cache.setMany(identity, [dialog('chat1')]);
    expect(
      store.keys.every(
        (key) => key.startsWith('dialog:oauth:acme.bitrix24.com:') && key.endsWith(':chat1'),
      ),
    ).toBe(true);
    expect(store.keys.join()).not.toContain(token);
    const webhook = callerIdentity({
      kind: 'webhook',
      webhookUrl: new URL('https://acme.bitrix24.com/rest/1/hooksecret123/'),
    });
    expect(webhook).not.toContain('hooksecret123');
    expect(identity).not.toBe(
      callerIdentity({
        kind: 'oauth',
        portalUrl: new URL('https://acme.bitrix24.com/'),
        accessToken: `${token}x`,
      }),
    );
  });

  it('treats a failing store as a miss and reports it', async () => {
    const store = new RecordingStore();
    store.fail = true;
    const errors: unknown[] = [];
    const cache = new DialogCache(store, 1000, (error) => errors.push(error));
    expect(await cache.getMany('caller', ['chat1'])).toEqual(new Map());
    await cache.setMany('caller', [dialog('chat1')]);
    expect(errors).toHaveLength(2);
  });
});

describe('MemoryDialogCacheStore', () => {
  /** A dialog of a big chat: its readers make it tens of KiB of JSON. */
  const bigDialog = (id: string, kib: number) =>
    ({
      id,
      title: id,
      readBy: Array.from({ length: kib * 16 }, (_, index) => ({ userId: String(index), x: 'y' })),
    }) as unknown as Dialog;

  it('is bounded by the bytes of its dialogs, not only by their count: the least recently used go', async () => {
    const store = new MemoryDialogCacheStore(10_000, 1024 * 1024);
    const ids = Array.from({ length: 50 }, (_, index) => `chat${index}`);
    await store.setMany(
      ids.map((id) => [id, bigDialog(id, 100)] as const),
      60_000,
    );
    const each = dialogSize(bigDialog('chat0', 100));
    expect(each).toBeGreaterThan(30_000);
    expect(store.bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(store.size).toBe(Math.floor((1024 * 1024) / each));
    const found = await store.getMany(ids);
    expect(found[0]).toBeUndefined();
    expect(found.at(-1)).toMatchObject({ id: 'chat49' });
  });

  it('does not keep a dialog larger than the whole bound', async () => {
    const store = new MemoryDialogCacheStore(10_000, 64 * 1024);
    await store.setMany([['huge', bigDialog('huge', 200)]], 60_000);
    expect(await store.getMany(['huge'])).toEqual([undefined]);
    expect(store.bytes).toBe(0);
  });
});
