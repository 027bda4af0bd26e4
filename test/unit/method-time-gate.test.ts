import { describe, expect, it } from '@jest/globals';
import type { Credentials } from '../../src/bitrix/credentials.js';
import { MethodTimeMirror } from '../../src/bitrix/method-time.js';
import {
  callBudgetKey,
  combinedVerdict,
  methodTimeVerdict,
} from '../../src/bitrix/scheduler/method-time-gate.js';
import {
  DIALOG_METHOD,
  USER_METHOD,
  type CallerQueue,
  type Lookup,
  type LookupMethod,
} from '../../src/bitrix/scheduler/lookup.js';

/*
 * Each method has its own method-time budget (the portal keys it by method), and one call may carry
 * lookups of both (issue 22): a spent user budget must not stop dialogs, nor the other way round.
 */

const NOW = Date.UTC(2026, 11, 1, 12);
const credentials: Credentials = {
  kind: 'webhook',
  webhookUrl: new URL('https://portal.example/rest/1/s3cret/'),
};
const lookupOf = (method: LookupMethod, id: string): Lookup =>
  ({
    request: { credentials, method, dialogId: id, deadline: NOW + 2_000 },
    identity: 'webhook',
    enqueuedAt: NOW,
    arrival: 0,
    attempts: 0,
    readyAt: NOW,
    retried: false,
    lastError: undefined,
    settled: false,
    call: undefined,
    resolve: () => undefined,
    reject: () => undefined,
    onAbort: () => undefined,
  }) as Lookup;
const queueOf = (lookups: Lookup[]): CallerQueue => ({
  identity: 'webhook',
  credentials,
  waiting: lookups,
  lastArrivalAt: NOW,
});
const verdicts = (methodTime: MethodTimeMirror, queue: CallerQueue) =>
  [DIALOG_METHOD, USER_METHOD].map((method) =>
    methodTimeVerdict(methodTime, queue, 'portal.example', method, NOW, 50),
  );

describe('method time per method in a call of both', () => {
  it('answers the users at once when their budget is spent, and lets the dialogs go', () => {
    const methodTime = new MethodTimeMirror({ budgetSeconds: 420, now: () => NOW });
    methodTime.refused(callBudgetKey(credentials, 'portal.example', USER_METHOD, 3));
    const dialogs = [lookupOf(DIALOG_METHOD, 'chat1'), lookupOf(DIALOG_METHOD, '5')];
    const users = [lookupOf(USER_METHOD, '5')];
    const verdict = combinedVerdict(verdicts(methodTime, queueOf([...dialogs, ...users])));
    expect(verdict.hopeless.map(({ lookup }) => lookup)).toEqual(users);
    // Once those are answered, only dialogs wait: nothing holds them back.
    const after = combinedVerdict(verdicts(methodTime, queueOf(dialogs)));
    expect(after).toEqual({ at: 0, maxIds: 50, hopeless: [] });
  });

  it('holds dialogs for their own budget without counting a user of the same id as one of them', () => {
    const methodTime = new MethodTimeMirror({ budgetSeconds: 420, now: () => NOW });
    methodTime.refused(callBudgetKey(credentials, 'portal.example', DIALOG_METHOD, 2));
    const dialog = lookupOf(DIALOG_METHOD, '5');
    const user = lookupOf(USER_METHOD, '5');
    const verdict = combinedVerdict(verdicts(methodTime, queueOf([dialog, user])));
    expect(verdict.hopeless.map(({ lookup }) => lookup)).toEqual([dialog]);
    expect(verdict.maxIds).toBe(0);
  });
});
