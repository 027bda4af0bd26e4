import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { DialogsByIdsDocument, DialogTitlesDocument } from '../generated/graphql.js';
import { aliasedDialogsQuery, startInProcessStack, type Stack } from '../helpers/stack.js';

const bulkIds = (count: number, from = 10001) =>
  Array.from({ length: count }, (_, index) => `chat${from + index}`);

describe('batching through the per-request DataLoader', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startInProcessStack();
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.resetCalls());

  it('answers 120 aliased dialog fields with 3 HTTP calls of at most 50 commands', async () => {
    const ids = bulkIds(120);
    const { body } = await stack.query<
      Record<string, { __typename: string; id: string; title: string }>
    >(aliasedDialogsQuery(ids));
    expect(body.errors).toBeUndefined();
    ids.forEach((id, index) => {
      expect(body.data![`a${index}`]).toEqual({
        __typename: 'Dialog',
        id,
        title: `Project room #${index + 1}`,
      });
    });
    expect(stack.upstreamCalls()).toBe(3);
    const calls = stack.emulator.requests.slice(-3);
    expect(calls.every((call) => call.method === 'batch' && call.params.halt === 0)).toBe(true);
    expect(calls.map((call) => call.commands!.length).sort((a, b) => a - b)).toEqual([20, 50, 50]);
    const asked = calls.flatMap((call) =>
      call.commands!.map((command) => command.params.DIALOG_ID),
    );
    expect(new Set(asked)).toEqual(new Set(ids));
  });

  it('asks for the same id once when it appears 10 times', async () => {
    const ids = Array.from({ length: 10 }, () => 'chat21191');
    const { body } = await stack.query<Record<string, { title: string }>>(aliasedDialogsQuery(ids));
    expect(Object.values(body.data!).map((dialog) => dialog.title)).toEqual(
      Array(10).fill('Mint Chat #3'),
    );
    expect(stack.upstreamCalls()).toBe(1);
    // One distinct id is a plain im.dialog.get, not a batch.
    expect(stack.emulator.requests.at(-1)).toMatchObject({
      method: 'im.dialog.get',
      params: { DIALOG_ID: 'chat21191' },
    });
  });

  it('treats ids that differ only by surrounding blanks as one', async () => {
    const { body } = await stack.query(DialogTitlesDocument, {
      ids: ['chat21191', ' chat21191', 'chat21191\t'],
    });
    expect(body.data?.dialogs?.map((d) => (d && 'title' in d ? d.title : null))).toEqual([
      'Mint Chat #3',
      'Mint Chat #3',
      'Mint Chat #3',
    ]);
    expect(stack.upstreamCalls()).toBe(1);
  });

  it('keeps the order of dialogs(ids:) and answers each id with its own result or error', async () => {
    const ids = [
      'chat666',
      'chat21191',
      '',
      'sg103',
      'chat21191',
      'nonsense',
      'chat999999',
      '256',
      'chat10001',
    ];
    const { body } = await stack.query(DialogsByIdsDocument, { ids });
    expect(body.errors).toBeUndefined();
    const summary = body.data!.dialogs!.map((item) => {
      if (item === null) return 'null';
      if (item.__typename === 'Dialog') return `${item.id}:${item.title}`;
      if (item.__typename === 'AccessError') return `denied:${item.dialogId}`;
      return `${item.__typename}:${item.code}`;
    });
    expect(summary).toEqual([
      'denied:chat666',
      'chat21191:Mint Chat #3',
      'DialogIdEmptyError:DIALOG_ID_EMPTY',
      'sg103:Marketing team',
      'chat21191:Mint Chat #3',
      'DialogIdEmptyError:DIALOG_ID_EMPTY',
      'denied:chat999999',
      '256:Gleb Orlov',
      'chat10001:Project room #1',
    ]);
    // 6 distinct well-formed ids → one batch of 6 dialog commands, plus the private dialog's other
    // person (its title may need their name); the blank and malformed ids cost nothing.
    expect(stack.upstreamCalls()).toBe(1);
    const commands = stack.emulator.requests.at(-1)?.commands ?? [];
    expect(commands.filter((command) => command.method === 'im.dialog.get')).toHaveLength(6);
    const users = commands.filter((command) => command.method === 'im.user.list.get');
    expect(users.map((command) => Object.values(command.params.ID as object))).toEqual([['256']]);
  });

  it('combines aliases and dialogs(ids:) of one request into one loader', async () => {
    const ids = bulkIds(60);
    const query = `query($ids: [ID!]!) { one: dialog(id: "chat10001") { __typename } list: dialogs(ids: $ids) { __typename } other: dialog(id: "chat10060") { __typename } }`;
    const { body } = await stack.query<{ list: unknown[] }>(query, { ids });
    expect(body.data!.list).toHaveLength(60);
    expect(stack.upstreamCalls()).toBe(2);
  });

  it('answers 200 distinct ids with 4 calls', async () => {
    const { body } = await stack.query(DialogTitlesDocument, { ids: bulkIds(200) });
    expect(body.errors).toBeUndefined();
    expect(body.data?.dialogs).toHaveLength(200);
    expect(body.data?.dialogs?.[199]).toEqual({
      __typename: 'Dialog',
      id: 'chat10200',
      title: 'Project room #200',
    });
    expect(stack.upstreamCalls()).toBe(4);
  });

  it('refuses an operation of more than 200 dialog lookups before any upstream call', async () => {
    const { status, body } = await stack.query<{
      dialogs: unknown;
      dialog: { title: string } | null;
    }>(
      `query($ids: [ID!]!) { dialogs(ids: $ids) { __typename } dialog(id: "chat21191") { ... on Dialog { title } } }`,
      { ids: bulkIds(200) },
    );
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([
      expect.objectContaining({
        message:
          'This operation asks for 201 dialogs; at most 200 per request. Split it into several requests.',
        extensions: { code: 'TOO_MANY_DIALOGS' },
      }),
    ]);
    expect(stack.upstreamCalls()).toBe(0);
  });

  it('refuses 10 000 ids without calling the portal', async () => {
    const ids = Array.from({ length: 10_000 }, (_, index) => String(index + 1));
    const { status, body } = await stack.query(DialogTitlesDocument, { ids });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe('TOO_MANY_DIALOGS');
    expect(stack.upstreamCalls()).toBe(0);
  });

  it('never shares a loader between requests: the same id in two requests is asked twice', async () => {
    await stack.query(DialogTitlesDocument, { ids: ['chat21191'] });
    await stack.query(DialogTitlesDocument, { ids: ['chat21191'] });
    expect(stack.upstreamCalls()).toBe(2);
  });
});
