import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import got from 'got';
import { LIMITED_USER_ID } from '../../src/emulator/fixtures.js';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';

// biome-ignore lint/suspicious/noExplicitAny: the tests walk raw portal answers; a wrong path fails its assertion
type Body = Record<string, any>;

const BORIS_SECRET = 'demo0webhook0boris';

describe('the emulator answers im.user.list.get and private dialogs as a 2026 portal does', () => {
  let modern: Emulator;
  let old: Emulator;
  const call = async (hook: string, method: string, params: unknown) =>
    got
      .post(`${hook}${method}`, { json: params, throwHttpErrors: false })
      .json<{ result?: Body; error?: string }>();
  beforeAll(async () => {
    modern = await startEmulator();
    old = await startEmulator({ generation: 'old' });
  });
  afterAll(async () => {
    await modern.close();
    await old.close();
  });

  it('answers an object keyed by each id asked, null for no such user', async () => {
    const { result } = await call(modern.webhookUrl(), 'im.user.list.get', { ID: [5, 99999] });
    expect(Object.keys(result!)).toEqual(['5', '99999']);
    expect(result!['99999']).toBeNull();
    expect(result!['5']).toMatchObject({
      id: 5,
      name: 'Elena Smirnova',
      first_name: 'Elena',
      last_name: 'Smirnova',
      avatar: expect.stringMatching(/^https:\/\//),
      mobile_last_date: false,
      absent: '2026-12-14T00:00:00+03:00',
      departments: [1],
      phones: { work_phone: '', personal_mobile: '', personal_phone: '' },
    });
  });

  it('answers the caller without ID, and INVALID_FORMAT for an ID that is no list', async () => {
    const me = await call(modern.webhookUrl(LIMITED_USER_ID, BORIS_SECRET), 'im.user.list.get', {});
    expect(Object.keys(me.result!)).toEqual(['2']);
    const invalid = await call(modern.webhookUrl(), 'im.user.list.get', { ID: 5 });
    expect(invalid.error).toBe('INVALID_FORMAT');
  });

  it('hides an extranet user from a caller who shares no workgroup with him', async () => {
    const asAnna = await call(modern.webhookUrl(), 'im.user.list.get', { ID: [4] });
    expect(asAnna.result!['4']).toMatchObject({ name: 'Denis Dubois', extranet: true });
    const asBoris = await call(
      modern.webhookUrl(LIMITED_USER_ID, BORIS_SECRET),
      'im.user.list.get',
      { ID: [4] },
    );
    expect(asBoris.result!['4']).toBeNull();
  });

  it('reads a dialog and its owner and managers in one batch through $result references', async () => {
    const { result } = await call(modern.webhookUrl(), 'batch', {
      halt: 0,
      cmd: {
        d: 'im.dialog.get?DIALOG_ID=chat21191',
        o: 'im.user.list.get?ID[]=$result[d][owner]',
        m: 'im.user.list.get?ID=$result[d][manager_list]',
      },
    });
    expect(result!.result.o).toEqual({ '2': expect.objectContaining({ name: 'Boris Ivanov' }) });
    expect(result!.result_error).toEqual([]);
  });

  it.each([
    ['modern', 'name'],
    ['old', 'title'],
  ])(
    'answers a private dialog without a title, owned by its starter (%s generation)',
    async (generation, titleField) => {
      const emulator = generation === 'old' ? old : modern;
      const started = (await call(emulator.webhookUrl(), 'im.dialog.get', { DIALOG_ID: '256' }))
        .result!;
      expect(started[titleField]).toBe('');
      expect(String(started.owner)).toBe('1');
      expect(started.type).toBe('private');
      if (generation === 'modern') expect(started.role).toBe('owner');
      // The same chat, seen from the other side of a dialog Boris started.
      const boris = emulator.webhookUrl(LIMITED_USER_ID, BORIS_SECRET);
      const byBoris = (await call(boris, 'im.dialog.get', { DIALOG_ID: '1' })).result!;
      const byAnna = (await call(emulator.webhookUrl(), 'im.dialog.get', { DIALOG_ID: '2' }))
        .result!;
      expect(byAnna.id).toBe(byBoris.id);
      expect(String(byAnna.owner)).toBe('2');
      expect(byAnna.color).toBe(byBoris.color);
      if (generation === 'modern') expect(byAnna.role).toBe('member');
    },
  );
});
