import { describe, expect, it } from '@jest/globals';
import type { Credentials } from '../../src/bitrix/credentials.js';
import type { SuccessEnvelope } from '../../src/bitrix/envelope.js';
import { callForCommands, type CallSender } from '../../src/bitrix/scheduler/command-call.js';
import {
  DialogAnswer,
  lookupKey,
  USER_METHOD,
  type DialogLookupRequest,
} from '../../src/bitrix/scheduler/lookup.js';

const credentials: Credentials = {
  kind: 'webhook',
  webhookUrl: new URL('https://portal.example/rest/1/secret/'),
};
const attempt = { signal: new AbortController().signal, timeoutMs: 1000 };

/** Records what would be sent and answers like a portal: every dialog owned by 7, managed by 8. */
class RecordingSender implements CallSender {
  readonly sent: Array<{ method: string; params: Record<string, unknown> }> = [];
  async send(
    _credentials: Credentials,
    method: string,
    params: Readonly<Record<string, unknown>>,
  ): Promise<SuccessEnvelope> {
    this.sent.push({ method, params: { ...params } });
    if (method !== 'batch') return { result: { '5': { id: 5, name: 'Elena' } } } as SuccessEnvelope;
    const cmd = params.cmd as Record<string, string>;
    const result: Record<string, unknown> = {};
    for (const [key, command] of Object.entries(cmd)) {
      if (command.startsWith('im.dialog.get')) result[key] = { id: 1, owner: 7, manager_list: [8] };
      else if (key === 'u') result[key] = { '5': { id: 5, name: 'Elena' }, '6': null };
      else
        result[key] =
          key === 'o' ? { '7': { id: 7, name: 'Owner' } } : { '8': { id: 8, name: 'Manager' } };
    }
    return { result: { result, result_error: [], result_time: {} } } as unknown as SuccessEnvelope;
  }
}

const dialog = (id: string, people = { owner: true, managers: true }): DialogLookupRequest => ({
  credentials,
  dialogId: id,
  people,
  deadline: Date.now() + 1000,
});
const user = (id: string): DialogLookupRequest => ({
  credentials,
  method: USER_METHOD,
  dialogId: id,
  deadline: Date.now() + 1000,
});

describe('callForCommands', () => {
  it('lays out dialogs, users by id, then owners and managers by reference to the dialogs', async () => {
    const sender = new RecordingSender();
    const requests = [
      dialog('chat1'),
      dialog('chat2', { owner: true, managers: false }),
      user('5'),
      user('6'),
      user('5'),
    ];
    const { outcomes } = await callForCommands(sender, credentials, requests, attempt);
    const cmd = sender.sent[0]!.params.cmd as Record<string, string>;
    expect(Object.keys(cmd)).toEqual(['d0', 'd1', 'u', 'o', 'm0']);
    expect(decodeURIComponent(cmd.u!)).toBe('im.user.list.get?ID[0]=5&ID[1]=6');
    expect(decodeURIComponent(cmd.o!)).toBe(
      'im.user.list.get?ID[0]=$result[d0][owner]&ID[1]=$result[d1][owner]',
    );
    expect(decodeURIComponent(cmd.m0!)).toBe('im.user.list.get?ID=$result[d0][manager_list]');
    const answer = outcomes.get(lookupKey(dialog('chat1')));
    expect(answer).toMatchObject({ ok: true, result: expect.any(DialogAnswer) });
    const people = (answer as { result: DialogAnswer }).result.people;
    expect([...people.keys()].sort()).toEqual(['5', '6', '7', '8']);
    expect(outcomes.get(lookupKey(user('6')))).toEqual({ ok: true, result: null });
    expect(outcomes.get(lookupKey(user('5')))).toMatchObject({
      ok: true,
      result: { name: 'Elena' },
    });
  });

  it('never sends more than 50 commands: plans that do not fit are left for a call by id', async () => {
    const sender = new RecordingSender();
    const requests = [
      ...Array.from({ length: 40 }, (_, index) => dialog(`chat${index + 1}`)),
      user('5'),
    ];
    await callForCommands(sender, credentials, requests, attempt);
    const keys = Object.keys(sender.sent[0]!.params.cmd as object);
    expect(keys).toHaveLength(50);
    expect(keys.slice(40, 42)).toEqual(['u', 'o']);
    expect(keys.filter((key) => key.startsWith('m'))).toHaveLength(8);
  });

  it('asks users alone with one plain im.user.list.get, a dialog alone with a plain im.dialog.get', async () => {
    const sender = new RecordingSender();
    await callForCommands(sender, credentials, [user('5'), user('5')], attempt);
    expect(sender.sent[0]).toEqual({ method: USER_METHOD, params: { ID: ['5'] } });
    await callForCommands(
      sender,
      credentials,
      [dialog('chat1', { owner: false, managers: false })],
      attempt,
    );
    expect(sender.sent[1]).toEqual({ method: 'im.dialog.get', params: { DIALOG_ID: 'chat1' } });
  });

  it('keeps a dialog and a user of the same number apart', () => {
    expect(lookupKey(dialog('5'))).not.toBe(lookupKey(user('5')));
  });
});
