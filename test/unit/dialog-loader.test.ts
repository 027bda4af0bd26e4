import { describe, expect, it } from '@jest/globals';
import type { Bitrix24Client } from '../../src/bitrix/client.js';
import type { Credentials } from '../../src/bitrix/credentials.js';
import { DialogLoader } from '../../src/bitrix/dialog-loader.js';
import { AccessError, Bitrix24Error, DialogIdEmptyError } from '../../src/bitrix/errors.js';

const credentials: Credentials = { kind: 'webhook', webhookUrl: new URL('https://portal.example/rest/1/x/') };
const raw = (id: string) => ({ id: Number(id.replace(/\D/g, '')) || 1, name: `Dialog ${id}`, date_create: '2026-01-01T00:00:00+03:00' });

/** A stand-in for the REST client that records what the loader sends (unit test only). */
class FakeClient {
  readonly calls: string[] = [];
  readonly batches: string[][] = [];
  inFlight = 0;
  maxInFlight = 0;
  failBatch?: Error;

  async call(_credentials: Credentials, method: string, params: Readonly<Record<string, unknown>>) {
    const id = String(params.DIALOG_ID);
    this.calls.push(`${method}:${id}`);
    if (id === 'chat666') throw new AccessError('', 'no');
    return { result: raw(id) };
  }

  async batch(_credentials: Credentials, commands: Readonly<Record<string, string>>) {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.inFlight--;
    if (this.failBatch) throw this.failBatch;
    const ids = Object.values(commands).map((command) => decodeURIComponent(command.split('DIALOG_ID=')[1]!));
    this.batches.push(ids);
    return new Map(Object.entries(commands).map(([key], index) => {
      const id = ids[index]!;
      return [key, id === 'chat666' ? { ok: false as const, error: new AccessError('', 'no') } : { ok: true as const, result: raw(id) }];
    }));
  }
}

const loaderWith = (client: FakeClient, maxConcurrentBatches?: number) =>
  new DialogLoader({ client: client as unknown as Bitrix24Client, credentials, ...(maxConcurrentBatches ? { maxConcurrentBatches } : {}) });

describe('DialogLoader', () => {
  it('sends one id as a plain im.dialog.get', async () => {
    const client = new FakeClient();
    const dialog = await loaderWith(client).load(' chat7 ');
    expect(dialog).toMatchObject({ id: 'chat7', chatId: '7' });
    expect(client.calls).toEqual(['im.dialog.get:chat7']);
  });

  it('splits 230 distinct ids into batches of at most 50, at most 2 in flight when so bounded', async () => {
    const client = new FakeClient();
    const loader = loaderWith(client, 2);
    const ids = Array.from({ length: 230 }, (_, index) => `chat${index + 1}`);
    const dialogs = await Promise.all(ids.map((id) => loader.load(id)));
    expect(dialogs.map((dialog) => dialog.id)).toEqual(ids);
    expect(client.batches.map((batch) => batch.length)).toEqual([50, 50, 50, 50, 30]);
    expect(client.maxInFlight).toBe(2);
  });

  it('de-duplicates within a request', async () => {
    const client = new FakeClient();
    const loader = loaderWith(client);
    await Promise.all(['chat1', 'chat2', 'chat1', ' chat2', 'chat1'].map((id) => loader.load(id)));
    expect(client.batches).toEqual([['chat1', 'chat2']]);
  });

  it('rejects each key with its own error, the AccessError carrying the id', async () => {
    const client = new FakeClient();
    const loader = loaderWith(client);
    const results = await Promise.allSettled(['chat1', 'chat666', ''].map((id) => loader.load(id)));
    expect(results[0]).toMatchObject({ status: 'fulfilled' });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: expect.any(AccessError) });
    expect((results[1] as PromiseRejectedResult).reason.dialogId).toBe('chat666');
    expect(results[2]).toMatchObject({ status: 'rejected', reason: expect.any(DialogIdEmptyError) });
    // The blank id never reached the client: one single call for the one remaining id pair.
    expect(client.batches).toEqual([['chat1', 'chat666']]);
  });

  it('fails every key of a failed batch with the batch’s error', async () => {
    const client = new FakeClient();
    client.failBatch = new Bitrix24Error('unavailable', 'INTERNAL_SERVER_ERROR', 'down', 500);
    const loader = loaderWith(client);
    const results = await Promise.allSettled(['chat1', 'chat2'].map((id) => loader.load(id)));
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });
});
