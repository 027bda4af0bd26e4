import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import got from 'got';
import { LIMITED_USER_ID } from '../../src/emulator/fixtures.js';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';

// biome-ignore lint/suspicious/noExplicitAny: the tests walk raw portal answers; a wrong path fails its assertion
type Body = Record<string, any>;

describe('the emulator answers im.dialog.get as a 2026 portal does (docs/bitrix24-api.md)', () => {
  let emulator: Emulator;
  let asAnna: (dialogId: string) => Promise<Body>;
  let asBoris: (dialogId: string) => Promise<Body>;
  beforeAll(async () => {
    emulator = await startEmulator();
    const as = (hook: string) => async (dialogId: string) =>
      (
        await got
          .post(`${hook}im.dialog.get`, { json: { DIALOG_ID: dialogId } })
          .json<{ result: Body }>()
      ).result;
    asAnna = as(emulator.webhookUrl());
    asBoris = as(emulator.webhookUrl(LIMITED_USER_ID, 'demo0webhook0boris'));
  });
  afterAll(() => emulator.close());

  it('sends date_create null for a chat that has none', async () => {
    expect(await asAnna('chat52')).toMatchObject({ id: 52, date_create: null });
  });

  it.each([
    ['chat49', 'collab', 'B'],
    ['sg207', 'collab', 'B'],
    ['chat37', 'tasksTask', 'X'],
    // Support and network chats are created with message type C (not L, the open lines').
    ['chat40', 'support24Question', 'C'],
    ['chat41', 'support24Notifier', 'C'],
    ['chat42', 'networkDialog', 'C'],
    ['chat51', 'system', 'S'],
  ])('answers %s with type %s and message type %s', async (dialogId, type, messageType) => {
    expect(await asAnna(dialogId)).toMatchObject({ type, message_type: messageType });
  });

  it('sends text_field_enabled as a setting of the chat (default true), the same for every caller', async () => {
    // An announcement chat: Boris is a plain member, and the input is still on.
    expect(await asAnna('chat39')).toMatchObject({ role: 'member', text_field_enabled: true });
    expect(await asBoris('chat39')).toMatchObject({ role: 'member', text_field_enabled: true });
    // A chat whose input an integration switched off: off for everyone.
    expect(await asAnna('chat38')).toMatchObject({ text_field_enabled: false });
  });

  it("puts the caller's user id into a calendar chat's restrictions.path", async () => {
    const anna = (await asAnna('chat35')).restrictions.path as string;
    const boris = (await asBoris('chat35')).restrictions.path as string;
    expect(anna).toContain('/user/1/');
    expect(boris).toContain(`/user/${LIMITED_USER_ID}/`);
  });

  it('uses the permission level `none`', async () => {
    expect((await asAnna('chat46')).permissions).toMatchObject({
      manage_users_add: 'none',
      manage_users_delete: 'none',
    });
  });

  it('lists every member but the caller in readed_list, uncapped: 3 000 readers in the big chat', async () => {
    const response = await got.post(`${emulator.webhookUrl()}im.dialog.get`, {
      json: { DIALOG_ID: 'chat60' },
    });
    expect(response.body.length).toBeGreaterThan(200_000);
    const big = (JSON.parse(response.body) as { result: Body }).result;
    expect(big.readed_list).toHaveLength(3000);
    expect(big.readed_list.some((reader: Body) => reader.user_id === 1)).toBe(false);
    expect(big.readed_list[0]).toEqual({
      user_id: 100001,
      user_name: 'Employee 0001',
      message_id: expect.any(Number),
      date: expect.anything(),
    });
    const general = await asBoris('chat1');
    expect(general.readed_list.map((reader: Body) => reader.user_id)).toEqual([1, 3, 5, 256, 503]);
  });

  it('names up to two first viewers as objects, and counts viewers other than the caller', async () => {
    // Chat 39: Anna and Elena have seen the last message.
    const anna = (await asAnna('chat39')).last_message_views;
    expect(anna).toEqual({
      message_id: 3957,
      first_viewers: [
        { user_id: 1, user_name: 'Anna Petrova', date: '2018-02-02T09:00:00+03:00' },
        { user_id: 5, user_name: 'Elena Smirnova', date: '2018-02-02T09:00:00+03:00' },
      ],
      count_of_viewers: 1,
    });
    expect((await asBoris('chat39')).last_message_views.count_of_viewers).toBe(2);
    expect((await asAnna('chat60')).last_message_views).toMatchObject({
      count_of_viewers: 750,
      first_viewers: [{ user_id: 100004 }, { user_id: 100008 }],
    });
  });

  it('holds at most the caller’s own id in mute_list', async () => {
    expect((await asAnna('chat39')).mute_list).toEqual([1]);
    expect((await asBoris('chat39')).mute_list).toEqual([2]);
    expect((await asAnna('chat1')).mute_list).toEqual([]);
  });

  it('gives restrictions as the profile of the chat type; only the general chat’s `send` depends on the caller', async () => {
    const everythingAllowed = {
      avatar: true,
      rename: true,
      extend: true,
      call: true,
      mute: true,
      leave: true,
      leave_owner: true,
      send: true,
      user_list: true,
    };
    expect((await asAnna('chat21191')).restrictions).toEqual(everythingAllowed);
    // Boris owns chat 21191 and Anna is a member: the same profile for both.
    expect((await asBoris('chat21191')).restrictions).toEqual(everythingAllowed);
    const general = {
      avatar: false,
      rename: false,
      extend: false,
      call: true,
      mute: true,
      leave: false,
      leave_owner: false,
      user_list: true,
    };
    expect((await asAnna('chat1')).restrictions).toEqual({ ...general, send: true });
    expect((await asBoris('chat1')).restrictions).toEqual({ ...general, send: false });
    expect((await asAnna('sg103')).restrictions).toMatchObject({
      avatar: false,
      leave: false,
      path: '/workgroups/group/#ID#/',
      path_title: 'Open the workgroup',
    });
    expect((await asAnna('chat36')).restrictions).toMatchObject({
      leave: true,
      path: '/company/personal/user/1/tasks/task/view/#ID#/',
    });
    expect((await asAnna('chat35')).restrictions).toMatchObject({
      path: '/company/personal/user/1/calendar/?EVENT_ID=#ID#',
    });
    expect((await asAnna('chat1439')).restrictions).toMatchObject({
      avatar: false,
      rename: false,
      leave: true,
      leave_owner: false,
      path: '',
      path_title: '',
    });
    expect((await asAnna('chat40')).restrictions).toMatchObject({
      call: false,
      user_list: false,
      leave: false,
    });
  });
});
