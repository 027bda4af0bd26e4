import { afterEach, describe, expect, it } from '@jest/globals';
import got, { type OptionsOfTextResponseBody, type Response } from 'got';
import { DEMO_TOKENS, LIMITED_USER_ID } from '../../src/emulator/fixtures.js';
import type { MethodTimeOptions } from '../../src/emulator/budgets.js';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';

// biome-ignore lint/suspicious/noExplicitAny: the tests walk raw portal answers; a wrong path fails its assertion
type Body = Record<string, any>;
const post = (url: string, options: OptionsOfTextResponseBody = {}): Promise<Response<string>> =>
  got.post(url, { throwHttpErrors: false, retry: { limit: 0 }, ...options });
const json = (response: Response<string>) => JSON.parse(response.body) as Body;

describe('the emulator counts method time as a portal does (docs/bitrix24-api.md, "Method time")', () => {
  let emulator: Emulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });
  const start = async (methodTime?: MethodTimeOptions) => {
    emulator = await startEmulator(methodTime ? { methodTime } : {});
    return emulator;
  };
  const dialogGet = (base: string, dialogId = 'chat1', options: OptionsOfTextResponseBody = {}) =>
    post(`${base}im.dialog.get`, { json: { DIALOG_ID: dialogId }, ...options });
  const oauth = (portal: Emulator, token: string) =>
    dialogGet(`${portal.url}/rest/`, 'chat1', { headers: { authorization: `Bearer ${token}` } });

  it('records a single run only over 0.1 s: a small chat alone costs nothing, the 3 000-member chat counts each time', async () => {
    const portal = await start();
    const hook = portal.webhookUrl();
    const small = json(await dialogGet(hook, 'chat21191'));
    expect(small.time).toMatchObject({ operating: 0 });
    expect(small.time.processing).toBeLessThan(0.1);
    const sentAt = Date.now() / 1000;
    const big = json(await dialogGet(hook, 'chat60'));
    const answeredAt = Date.now() / 1000;
    expect(big.result.user_counter).toBe(3001);
    expect(big.time.processing).toBeGreaterThan(0.1);
    expect(big.time.operating).toBeCloseTo(big.time.processing, 5);
    const again = json(await dialogGet(hook, 'chat60'));
    expect(again.time.operating).toBeCloseTo(2 * big.time.processing, 5);
    // The reset is when the oldest recorded bucket drops out: a window after the first recorded run
    // (recorded as it ended, between our send and its answer), in whole seconds rounded up.
    expect(again.time.operating_reset_at).toBe(big.time.operating_reset_at);
    expect(big.time.operating_reset_at).toBeGreaterThanOrEqual(sentAt + 600);
    expect(big.time.operating_reset_at).toBeLessThanOrEqual(Math.ceil(answeredAt + 600));
  });

  it('refuses a single call over the budget with HTTP 429, and does not count the refused call', async () => {
    const portal = await start({ budgetSeconds: 0.5, costSeconds: 0.3 });
    const hook = portal.webhookUrl();
    expect(json(await dialogGet(hook)).time.operating).toBeCloseTo(0.3, 5);
    // 0.3 is not more than 0.5: the portal still runs it.
    expect(json(await dialogGet(hook)).time.operating).toBeCloseTo(0.6, 5);
    for (let i = 0; i < 3; i++) {
      const refused = await dialogGet(hook);
      expect(refused.statusCode).toBe(429);
      expect(json(refused)).toEqual({
        error: 'OPERATION_TIME_LIMIT',
        error_description: 'Method is blocked due to operation time limit.',
      });
    }
    expect(portal.stats.operationLimitRefusals).toBe(3);
    expect(
      portal.methodTime.report(`webhook:1:${new URL(hook).pathname.split('/')[3]}`, 'im.dialog.get')
        .operating,
    ).toBeCloseTo(0.6, 5);
    // Other methods have budgets of their own.
    expect((await post(`${hook}server.time`)).statusCode).toBe(200);
  });

  it('keys single calls by webhook (user + secret) and by OAuth app, not by portal', async () => {
    const portal = await start({ budgetSeconds: 0.2, costSeconds: 0.3 });
    expect((await dialogGet(portal.webhookUrl())).statusCode).toBe(200);
    expect((await dialogGet(portal.webhookUrl())).statusCode).toBe(429);
    // Another webhook of the same portal still has its whole budget…
    expect(
      (await dialogGet(portal.webhookUrl(LIMITED_USER_ID, 'demo0webhook0boris'))).statusCode,
    ).toBe(200);
    // …and so has an app; two users' tokens of one app share the app's budget, another app has its own.
    expect((await oauth(portal, DEMO_TOKENS.anna)).statusCode).toBe(200);
    expect((await oauth(portal, DEMO_TOKENS.boris)).statusCode).toBe(429);
    expect((await oauth(portal, DEMO_TOKENS.annaOtherApp)).statusCode).toBe(200);
  });

  it('checks each batch command against its own method: refused commands get OPERATION_TIME_LIMIT, the batch answers 200', async () => {
    const portal = await start({ budgetSeconds: 0.5, costSeconds: 0.3 });
    const answer = await post(`${portal.webhookUrl()}batch`, {
      json: {
        halt: 0,
        cmd: {
          a: 'im.dialog.get?DIALOG_ID=chat1',
          b: 'im.dialog.get?DIALOG_ID=chat30',
          c: 'im.dialog.get?DIALOG_ID=chat31',
          d: 'server.time',
        },
      },
    });
    expect(answer.statusCode).toBe(200);
    const { result, time } = json(answer);
    expect(Object.keys(result.result)).toEqual(['a', 'b', 'd']);
    expect(result.result_error).toEqual({
      c: {
        error: 'OPERATION_TIME_LIMIT',
        error_description: 'Method is blocked due to operation time limit.',
      },
    });
    // Method time is per command, only for the commands that ran.
    expect(Object.keys(result.result_time)).toEqual(['a', 'b', 'd']);
    expect(result.result_time.a.operating).toBeCloseTo(0.3, 5);
    expect(result.result_time.b.operating).toBeCloseTo(0.6, 5);
    expect(result.result_time.d.operating).toBeCloseTo(0.3, 5);
    // The batch's own block says 0, with a reset a whole window ahead, even with im.dialog.get spent.
    expect(time.operating).toBe(0);
    expect(time.operating_reset_at - Date.now() / 1000).toBeGreaterThan(590);
    expect(portal.stats.operationLimitRefusals).toBe(1);
    // A later batch is refused command by command too, never as a whole…
    const later = await post(`${portal.webhookUrl()}batch`, {
      json: { halt: 0, cmd: { x: 'im.dialog.get?DIALOG_ID=chat1' } },
    });
    expect(later.statusCode).toBe(200);
    expect(json(later).result).toMatchObject({
      result: [],
      result_time: [],
      result_error: { x: { error: 'OPERATION_TIME_LIMIT' } },
    });
    // A webhook's single calls are counted per webhook: this one's budget is untouched…
    expect((await dialogGet(portal.webhookUrl())).statusCode).toBe(200);
    // …while another webhook's batched commands share the spent budget of every webhook's batches.
    const other = await post(`${portal.webhookUrl(LIMITED_USER_ID, 'demo0webhook0boris')}batch`, {
      json: { halt: 0, cmd: { x: 'im.dialog.get?DIALOG_ID=chat1' } },
    });
    expect(json(other).result.result_error).toEqual({
      x: {
        error: 'OPERATION_TIME_LIMIT',
        error_description: 'Method is blocked due to operation time limit.',
      },
    });
  });

  it('sums every run of a method within one request: a batch of 50 small chats is recorded, one alone is not', async () => {
    const portal = await start();
    const hook = portal.webhookUrl();
    const cmd = Object.fromEntries(
      Array.from({ length: 50 }, (_, index) => [
        `d${index}`,
        `im.dialog.get?DIALOG_ID=chat${10001 + index}`,
      ]),
    );
    const first = json(await post(`${hook}batch`, { json: { halt: 0, cmd } })).result;
    expect(Object.keys(first.result)).toHaveLength(50);
    const perRun = first.result_time.d0.processing as number;
    expect(perRun).toBeLessThan(0.1);
    // While the batch runs its small runs are not counted (the in-request check skips them)…
    expect(first.result_time.d49.operating).toBe(0);
    // …but their sum (50 × ~4.5 ms) is over 0.1 s, so it is recorded when the request ends.
    const sum = Object.values(first.result_time as Record<string, { processing: number }>).reduce(
      (total, time) => total + time.processing,
      0,
    );
    expect(sum).toBeGreaterThan(0.1);
    const second = json(
      await post(`${hook}batch`, {
        json: { halt: 0, cmd: { x: 'im.dialog.get?DIALOG_ID=chat21191' } },
      }),
    ).result;
    expect(second.result_time.x.operating).toBeCloseTo(sum, 5);
    // One small chat alone stays under 0.1 s: its request adds nothing.
    const third = json(
      await post(`${hook}batch`, {
        json: { halt: 0, cmd: { x: 'im.dialog.get?DIALOG_ID=chat21191' } },
      }),
    ).result;
    expect(third.result_time.x.operating).toBeCloseTo(sum, 5);
  });

  it("defaults to the portal code's 420 s per 10 minutes", async () => {
    const portal = await start();
    expect(portal.methodTime.options.budgetSeconds).toBe(420);
    expect(portal.methodTime.windowSeconds).toBe(600);
  });

  it('slides: the oldest bucket drops out of the window and its seconds with it', async () => {
    // Ten buckets of 0.2 s: a 2 s window.
    const portal = await start({
      budgetSeconds: 100,
      costSeconds: 0.3,
      bucketSeconds: 0.2,
      bucketCount: 10,
    });
    const hook = portal.webhookUrl();
    const first = json(await dialogGet(hook)).time;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const second = json(await dialogGet(hook)).time;
    expect(second.operating).toBeCloseTo(0.6, 5);
    expect(second.operating_reset_at).toBe(first.operating_reset_at);
    await new Promise((resolve) => setTimeout(resolve, 1300));
    // The first run's bucket is out; the second's is still in.
    const third = json(await dialogGet(hook)).time;
    expect(third.operating).toBeCloseTo(0.6, 5);
    expect(third.operating_reset_at).toBeGreaterThan(first.operating_reset_at);
  });

  it('counts nothing with `costSeconds: 0` and an infinite budget (EMULATOR_METHOD_BUDGET_S=off)', async () => {
    const portal = await start({ budgetSeconds: Number.POSITIVE_INFINITY, costSeconds: 0 });
    for (let i = 0; i < 3; i++)
      expect(json(await dialogGet(portal.webhookUrl(), 'chat60')).time.operating).toBe(0);
  });

  it('forgets everything recorded on DELETE /_emulator/method-time', async () => {
    const portal = await start({ budgetSeconds: 0.1, costSeconds: 0.3 });
    expect((await dialogGet(portal.webhookUrl())).statusCode).toBe(200);
    expect((await dialogGet(portal.webhookUrl())).statusCode).toBe(429);
    await got.delete(`${portal.url}/_emulator/method-time`);
    expect((await dialogGet(portal.webhookUrl())).statusCode).toBe(200);
  });
});
