import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_TOKENS } from '../../src/emulator/fixtures.js';
import { DialogByIdDocument, DialogsByIdsDocument } from '../generated/graphql.js';
import { startInProcessStack, withInProcessStack, type Stack } from '../helpers/stack.js';

/** What a 2026 portal sends that the old docs did not foresee, end to end through the server. */
describe('answers of a 2026 portal, through the server', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startInProcessStack({ mode: 'oauth' });
  });
  afterAll(() => stack.close());
  const asAnna = { authorization: `Bearer ${DEMO_TOKENS.anna}` };
  const asBoris = { authorization: `Bearer ${DEMO_TOKENS.boris}` };

  it('gives a chat without a creation date as a Dialog with dateCreate null, alone and in a batch', async () => {
    const single = await stack.query(DialogByIdDocument, { id: 'chat52' }, asAnna);
    expect(single.body.errors).toBeUndefined();
    expect(single.body.data?.dialog).toMatchObject({
      __typename: 'Dialog',
      id: 'chat52',
      title: 'Imported from the old intranet',
      dateCreate: null,
      memberCount: 3,
    });
    const batch = await stack.query(DialogsByIdsDocument, { ids: ['chat21191', 'chat52'] }, asAnna);
    expect(batch.body.errors).toBeUndefined();
    expect(batch.body.data?.dialogs).toMatchObject([
      { __typename: 'Dialog', dateCreate: '2017-10-14T12:15:32+02:00' },
      { __typename: 'Dialog', dateCreate: null },
    ]);
  });

  it('names the permission level `none`', async () => {
    const { body } = await stack.query(DialogByIdDocument, { id: 'chat46' }, asAnna);
    expect(body.data?.dialog).toMatchObject({
      permissions: { addMembers: 'NONE', removeMembers: 'NONE', postMessages: 'OWNER' },
    });
  });

  it('says whether the caller muted the chat, and keeps the deprecated mutedUserIds answering', async () => {
    const query =
      'query($id: ID!) { dialog(id: $id) { ... on Dialog { mutedByMe mutedUserIds } } }';
    expect((await stack.query(query, { id: 'chat39' }, asAnna)).body.data).toEqual({
      dialog: { mutedByMe: true, mutedUserIds: ['1'] },
    });
    expect((await stack.query(query, { id: 'chat39' }, asBoris)).body.data).toEqual({
      dialog: { mutedByMe: true, mutedUserIds: ['2'] },
    });
    expect((await stack.query(query, { id: 'chat1' }, asAnna)).body.data).toEqual({
      dialog: { mutedByMe: false, mutedUserIds: [] },
    });
  });

  it('names the first viewers with when they saw it, and never counts the caller', async () => {
    const query =
      'query($id: ID!) { dialog(id: $id) { ... on Dialog { lastMessageViews { messageId firstViewers { userId userName viewedAt } firstViewerIds viewerCount } } } }';
    const firstViewers = [
      { userId: '1', userName: 'Anna Petrova', viewedAt: '2018-02-02T09:00:00+03:00' },
      { userId: '5', userName: 'Elena Smirnova', viewedAt: '2018-02-02T09:00:00+03:00' },
    ];
    const anna = await stack.query(query, { id: 'chat39' }, asAnna);
    expect(anna.body.data).toEqual({
      dialog: {
        lastMessageViews: {
          messageId: '3957',
          firstViewers,
          firstViewerIds: ['1', '5'],
          viewerCount: 1,
        },
      },
    });
    const boris = await stack.query(query, { id: 'chat39' }, asBoris);
    expect(boris.body.data).toEqual({
      dialog: {
        lastMessageViews: {
          messageId: '3957',
          firstViewers,
          firstViewerIds: ['1', '5'],
          viewerCount: 2,
        },
      },
    });
  });

  it('gives restrictions as the chat type’s profile: the same for owner and member, but the general chat’s canSend', async () => {
    const query =
      'query($id: ID!) { dialog(id: $id) { ... on Dialog { role restrictions { canRename canLeave canSend path pathTitle } } } }';
    const general = { canRename: false, canLeave: false, path: null, pathTitle: null };
    expect((await stack.query(query, { id: 'chat1' }, asAnna)).body.data).toEqual({
      dialog: { role: 'OWNER', restrictions: { ...general, canSend: true } },
    });
    expect((await stack.query(query, { id: 'chat1' }, asBoris)).body.data).toEqual({
      dialog: { role: 'MEMBER', restrictions: { ...general, canSend: false } },
    });
    expect((await stack.query(query, { id: 'sg103' }, asAnna)).body.data).toEqual({
      dialog: {
        role: 'MEMBER',
        restrictions: {
          canRename: false,
          canLeave: false,
          canSend: true,
          path: '/workgroups/group/#ID#/',
          pathTitle: 'Open the workgroup',
        },
      },
    });
  });

  it('serves the 3 000 readers of a big chat', async () => {
    const { body } = await stack.query<{
      dialog: { memberCount: number; readBy: Array<{ userId: string }> };
    }>(
      'query($id: ID!) { dialog(id: $id) { ... on Dialog { memberCount readBy { userId userName lastReadMessageId readAt } } } }',
      { id: 'chat60' },
      asAnna,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.dialog.memberCount).toBe(3001);
    expect(body.data?.dialog.readBy).toHaveLength(3000);
    expect(body.data?.dialog.readBy.some((reader) => reader.userId === '1')).toBe(false);
  });
});

describe('answers of an old portal without a creation date', () => {
  it('gives the dialog with dateCreate null too', async () => {
    await withInProcessStack({ emulator: { generation: 'old' } }, async (stack) => {
      const { body } = await stack.query(DialogByIdDocument, { id: 'chat52' });
      expect(body.errors).toBeUndefined();
      expect(body.data?.dialog).toMatchObject({
        __typename: 'Dialog',
        chatId: '52',
        dateCreate: null,
        mutedByMe: null,
        lastMessageViews: null,
      });
    });
  });
});
