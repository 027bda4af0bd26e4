import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import got, { type OptionsOfTextResponseBody, type Response } from 'got';
import {
  DEMO_TOKENS,
  DEMO_WEBHOOK_SECRET,
  REVOKED_WEBHOOK_SECRET,
} from '../../src/emulator/fixtures.js';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';

// biome-ignore lint/suspicious/noExplicitAny: the tests walk raw portal answers; a wrong path fails its assertion
type Body = Record<string, any>;
const post = (url: string, options: OptionsOfTextResponseBody = {}): Promise<Response<string>> =>
  got.post(url, { throwHttpErrors: false, retry: { limit: 0 }, ...options });
const json = (response: Response<string>) => JSON.parse(response.body) as Body;

describe('the Bitrix24 emulator follows docs/bitrix24-api.md', () => {
  let emulator: Emulator;
  let hook: string;
  beforeAll(async () => {
    emulator = await startEmulator();
    hook = emulator.webhookUrl();
  });
  afterAll(() => emulator.close());

  describe('calling a method', () => {
    it('accepts parameters as JSON, as a form, as a query string, with or without .json', async () => {
      const answers = await Promise.all([
        post(`${hook}im.dialog.get`, { json: { DIALOG_ID: 'chat21191' } }),
        post(`${hook}im.dialog.get.json`, { form: { DIALOG_ID: 'chat21191' } }),
        post(`${hook}im.dialog.get?DIALOG_ID=chat21191`),
        post(`${hook}im.dialog.get`, { json: { dialog_id: 'chat21191' } }),
      ]);
      for (const answer of answers) {
        expect(answer.statusCode).toBe(200);
        expect(json(answer).result).toMatchObject({
          id: 21191,
          name: 'Mint Chat #3',
          dialog_id: 'chat21191',
        });
      }
    });

    it('sends the modern time block on success and no time block on errors', async () => {
      const ok = json(await post(`${hook}im.dialog.get`, { json: { DIALOG_ID: 'chat1' } }));
      expect(Object.keys(ok.time).sort()).toEqual([
        'date_finish',
        'date_start',
        'duration',
        'finish',
        'operating',
        'operating_reset_at',
        'processing',
        'start',
      ]);
      const failed = await post(`${hook}im.dialog.get`, { json: { DIALOG_ID: 'chat666' } });
      expect(failed.statusCode).toBe(403);
      expect(json(failed)).toEqual({
        error: 'ACCESS_ERROR',
        error_description: 'You do not have access to the specified dialog',
      });
    });

    it.each([
      [{}],
      [{ DIALOG_ID: '' }],
      [{ DIALOG_ID: 'abc' }],
      [{ DIALOG_ID: 'chat' }],
      [{ DIALOG_ID: 'chatX' }],
    ])('answers DIALOG_ID_EMPTY (400) for %j', async (params) => {
      const answer = await post(`${hook}im.dialog.get`, { json: params });
      expect(answer.statusCode).toBe(400);
      expect(json(answer)).toEqual({
        error: 'DIALOG_ID_EMPTY',
        error_description: "Dialog ID can't be empty",
      });
    });

    it.each([['CHAT21191'], ['Chat21191'], ['SG103'], ['Sg103'], ['sg0103']])(
      'reads DIALOG_ID %s case-insensitively, echoing it as sent',
      async (dialogId) => {
        const answer = await post(`${hook}im.dialog.get`, { json: { DIALOG_ID: dialogId } });
        expect(answer.statusCode).toBe(200);
        expect(json(answer).result).toMatchObject({
          id: dialogId.toLowerCase().startsWith('chat') ? 21191 : 34,
          dialog_id: dialogId,
        });
      },
    );

    it.each([['crm12'], ['CRM1663'], ['chat999999'], ['00']])(
      'answers ACCESS_ERROR (403) for %s, which passes the grammar but names no chat Anna may read',
      async (dialogId) => {
        const answer = await post(`${hook}im.dialog.get`, { json: { DIALOG_ID: dialogId } });
        expect(answer.statusCode).toBe(403);
        expect(json(answer).error).toBe('ACCESS_ERROR');
      },
    );

    it.each([['0'], ['abc12'], ['chat-1'], [' chat1'], ['chat1 ']])(
      'answers DIALOG_ID_EMPTY (400) for %j, outside the grammar',
      async (dialogId) => {
        const answer = await post(`${hook}im.dialog.get`, { json: { DIALOG_ID: dialogId } });
        expect(answer.statusCode).toBe(400);
        expect(json(answer).error).toBe('DIALOG_ID_EMPTY');
      },
    );

    it('answers ERROR_METHOD_NOT_FOUND (404) for an unknown method', async () => {
      const answer = await post(`${hook}im.dialog.nope`);
      expect(answer.statusCode).toBe(404);
      expect(json(answer).error).toBe('ERROR_METHOD_NOT_FOUND');
    });
  });

  describe('authentication', () => {
    it.each([
      ['a wrong secret', 1, 'nope'],
      ['an unknown user', 999, DEMO_WEBHOOK_SECRET],
      ['another user’s secret', 2, DEMO_WEBHOOK_SECRET],
      ['a revoked webhook', 1, REVOKED_WEBHOOK_SECRET],
    ])(
      'refuses %s with INVALID_CREDENTIALS (401), as the portal does for any webhook it cannot find',
      async (_what, userId, secret) => {
        const answer = await post(`${emulator.webhookUrl(userId, secret)}im.dialog.get`, {
          json: { DIALOG_ID: 'chat1' },
        });
        expect(answer.statusCode).toBe(401);
        expect(json(answer)).toEqual({
          error: 'INVALID_CREDENTIALS',
          error_description: 'Invalid request credentials',
        });
      },
    );

    it('refuses a webhook without the im scope with insufficient_scope (401), per command inside batch', async () => {
      const noIm = emulator.webhookUrl(1, 'demo0webhook0no0im');
      const single = await post(`${noIm}im.dialog.get`, { json: { DIALOG_ID: 'chat1' } });
      expect(single.statusCode).toBe(401);
      expect(json(single).error).toBe('insufficient_scope');
      const batch = await post(`${noIm}batch`, {
        json: { halt: 0, cmd: { a: 'im.dialog.get?DIALOG_ID=chat1' } },
      });
      expect(batch.statusCode).toBe(200);
      expect(json(batch).result.result_error.a.error).toBe('insufficient_scope');
    });

    it('takes the OAuth token as `auth`, `access_token` or a Bearer header', async () => {
      const url = `${emulator.url}/rest/im.dialog.get`;
      const answers = await Promise.all([
        post(url, { json: { DIALOG_ID: 'chat1', auth: DEMO_TOKENS.boris } }),
        post(url, { form: { DIALOG_ID: 'chat1', access_token: DEMO_TOKENS.boris } }),
        post(`${url}?auth=${DEMO_TOKENS.boris}`, { json: { DIALOG_ID: 'chat1' } }),
        post(url, {
          json: { DIALOG_ID: 'chat1' },
          headers: { authorization: `Bearer ${DEMO_TOKENS.boris}` },
        }),
      ]);
      for (const answer of answers)
        expect(json(answer).result).toMatchObject({ id: 1, role: 'member' });
      // The log keeps who called, never the token.
      expect(JSON.stringify(emulator.requests)).not.toContain(DEMO_TOKENS.boris);
    });

    it.each([
      [undefined, 401, 'NO_AUTH_FOUND'],
      ['unknown-token', 401, 'invalid_token'],
      [DEMO_TOKENS.expired, 401, 'expired_token'],
      [DEMO_TOKENS.noScope, 401, 'insufficient_scope'],
    ])('refuses the token %s with %i %s', async (auth, status, code) => {
      const answer = await post(`${emulator.url}/rest/im.dialog.get`, {
        json: { DIALOG_ID: 'chat1', ...(auth ? { auth } : {}) },
      });
      expect(answer.statusCode).toBe(status);
      expect(json(answer).error).toBe(code);
      expect(json(answer).time).toBeUndefined();
    });
  });

  describe('batch', () => {
    const batch = (body: Body) => post(`${hook}batch`, { json: body });

    it('answers HTTP 200 with per-command results and errors, PHP empty arrays included', async () => {
      const answer = await batch({
        halt: 0,
        cmd: { a: 'im.dialog.get?DIALOG_ID=chat1', b: 'im.dialog.get?DIALOG_ID=chat666' },
      });
      expect(answer.statusCode).toBe(200);
      const { result } = json(answer);
      expect(Object.keys(result.result)).toEqual(['a']);
      expect(result.result_error).toEqual({
        b: {
          error: 'ACCESS_ERROR',
          error_description: 'You do not have access to the specified dialog',
        },
      });
      expect(result.result_total).toEqual([]);
      expect(result.result_next).toEqual([]);
      expect(Object.keys(result.result_time)).toEqual(['a']);
      const clean = json(
        await batch({ halt: 0, cmd: { a: 'im.dialog.get?DIALOG_ID=chat1' } }),
      ).result;
      expect(clean.result_error).toEqual([]);
      const allFailed = await batch({ halt: 0, cmd: { a: 'im.dialog.get?DIALOG_ID=chat666' } });
      expect(allFailed.statusCode).toBe(200);
      expect(json(allFailed).result.result).toEqual([]);
    });

    it('runs the first 50 commands and answers each one past the 50th with ERROR_BATCH_LENGTH_EXCEEDED', async () => {
      const cmd = Object.fromEntries(
        Array.from({ length: 53 }, (_, index) => [
          `k${index}`,
          `im.dialog.get?DIALOG_ID=chat${10001 + index}`,
        ]),
      );
      const { result } = json(await batch({ halt: 0, cmd }));
      expect(Object.keys(result.result)).toHaveLength(50);
      expect(result.result_error).toEqual({
        k50: {
          error: 'ERROR_BATCH_LENGTH_EXCEEDED',
          error_description: 'Max batch length exceeded',
        },
        k51: {
          error: 'ERROR_BATCH_LENGTH_EXCEEDED',
          error_description: 'Max batch length exceeded',
        },
        k52: {
          error: 'ERROR_BATCH_LENGTH_EXCEEDED',
          error_description: 'Max batch length exceeded',
        },
      });
    });

    it('refuses batch inside batch per command', async () => {
      const { result } = json(
        await batch({ halt: 0, cmd: { inner: 'batch?cmd[x]=im.dialog.get' } }),
      );
      expect(result.result_error.inner.error).toBe('ERROR_BATCH_METHOD_NOT_ALLOWED');
    });

    it('stops at the first failure with halt=1, and reads "0", 0 and false as "do not halt"', async () => {
      const cmd = { a: 'im.dialog.get?DIALOG_ID=chat666', b: 'im.dialog.get?DIALOG_ID=chat1' };
      const halted = json(await batch({ halt: 1, cmd })).result;
      expect(halted.result).toEqual([]);
      expect(Object.keys(halted.result_error)).toEqual(['a']);
      for (const halt of ['0', 0, false]) {
        expect(Object.keys(json(await batch({ halt, cmd })).result.result)).toEqual(['b']);
      }
    });

    it('answers a list of commands with index keys, maps arriving as lists', async () => {
      const { result } = json(
        await batch({
          halt: 0,
          cmd: ['im.dialog.get?DIALOG_ID=chat1', 'im.dialog.get?DIALOG_ID=chat30'],
        }),
      );
      expect(Array.isArray(result.result)).toBe(true);
      expect(result.result.map((dialog: Body) => dialog.id)).toEqual([1, 30]);
    });

    it('resolves $result references after decoding the query, so URL-encoding does not stop them', async () => {
      const { result } = json(
        await batch({
          halt: 0,
          cmd: {
            first: 'im.dialog.get?DIALOG_ID=chat37',
            parent: 'im.dialog.get?DIALOG_ID=chat$result[first][parent_chat_id]',
            encoded: `im.dialog.get?DIALOG_ID=${encodeURIComponent('chat$result[first][parent_chat_id]')}`,
            whole: `im.dialog.get?DIALOG_ID=${encodeURIComponent('$result[first][id]')}`,
            object: `im.dialog.get?DIALOG_ID=${encodeURIComponent('$result[first]')}`,
          },
        }),
      );
      expect(result.result.parent.id).toBe(36);
      expect(result.result.encoded.id).toBe(36);
      // A whole value that is a reference becomes the referenced value: here the number 37, a user id.
      expect(result.result_error.whole.error).toBe('ACCESS_ERROR');
      // …and an object when it names one, which is no dialog id at all.
      expect(result.result_error.object.error).toBe('DIALOG_ID_EMPTY');
      const commands = emulator.requests.at(-1)!.commands!;
      expect(commands.find((command) => command.key === 'encoded')?.params.DIALOG_ID).toBe(
        'chat36',
      );
      expect(commands.find((command) => command.key === 'whole')?.params.DIALOG_ID).toBe(37);
    });
  });

  describe('old portals', () => {
    it('answers with string ids, `title` and the old fields only', async () => {
      const old = await startEmulator({ generation: 'old' });
      try {
        const answer = json(
          await post(`${old.webhookUrl()}im.dialog.get`, { json: { DIALOG_ID: 'chat21191' } }),
        );
        expect(answer.result).toEqual({
          id: '21191',
          title: 'Mint Chat #3',
          owner: '2',
          extranet: false,
          avatar: '',
          color: '#4ba984',
          type: 'chat',
          entity_type: '',
          entity_id: '',
          entity_data_1: '',
          entity_data_2: '',
          entity_data_3: '',
          date_create: '2017-10-14T12:15:32+02:00',
          message_type: 'C',
        });
        expect(answer.time.operating).toBeUndefined();
      } finally {
        await old.close();
      }
    });
  });

  describe('limits and faults', () => {
    it('refuses with QUERY_LIMIT_EXCEEDED (503) when the leaky bucket is full, and drains', async () => {
      const limited = await startEmulator({ rateLimit: { capacity: 3, drainPerSecond: 10 } });
      try {
        const call = () =>
          post(`${limited.webhookUrl()}im.dialog.get`, { json: { DIALOG_ID: 'chat1' } });
        const statuses = [];
        for (let i = 0; i < 5; i++) statuses.push((await call()).statusCode);
        expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
        expect(statuses.slice(3)).toContain(503);
        expect(limited.stats.queryLimitRefusals).toBeGreaterThan(0);
        await new Promise((resolve) => setTimeout(resolve, 400));
        expect((await call()).statusCode).toBe(200);
      } finally {
        await limited.close();
      }
    });

    it('empties its leaky bucket on request (a test starts from an idle portal without waiting)', async () => {
      // Drains 1 request a minute: only emptyBucket() can make room within this test.
      const limited = await startEmulator({ rateLimit: { capacity: 2, drainPerSecond: 1 / 60 } });
      try {
        const call = async () =>
          (await post(`${limited.webhookUrl()}im.dialog.get`, { json: { DIALOG_ID: 'chat1' } }))
            .statusCode;
        expect([await call(), await call(), await call()]).toEqual([200, 200, 503]);
        limited.emptyBucket();
        expect([await call(), await call(), await call()]).toEqual([200, 200, 503]);
      } finally {
        await limited.close();
      }
    });

    it('injects faults through its control endpoint', async () => {
      await post(`${emulator.url}/_emulator/faults`, { json: { kind: 'html-502', times: 1 } });
      const failed = await post(`${hook}im.dialog.get`, { json: { DIALOG_ID: 'chat1' } });
      expect(failed.statusCode).toBe(502);
      expect(failed.body).toContain('<html>');
      expect(
        (await post(`${hook}im.dialog.get`, { json: { DIALOG_ID: 'chat1' } })).statusCode,
      ).toBe(200);
      const log = await got(`${emulator.url}/_emulator/requests`).json<Array<{ fault?: string }>>();
      expect(log.some((entry) => entry.fault === 'html-502')).toBe(true);
    });
  });
});
