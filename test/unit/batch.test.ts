import { describe, expect, it } from '@jest/globals';
import qs from 'qs';
import { chunk, encodeCommand, readBatchOutcomes } from '../../src/bitrix/batch.js';
import { normaliseDialogId } from '../../src/bitrix/dialog-id.js';
import { AccessError, Bitrix24Error, DialogIdEmptyError } from '../../src/bitrix/errors.js';

describe('encodeCommand', () => {
  it.each([
    ['chat1'],
    ['chat1&auth=x'],
    ['chat1?DIALOG_ID=chat2'],
    ['a=b'],
    ['#frag'],
    ['100%'],
    ['$result[a][id]'],
    ['../'],
    ['чат 1 + 2'],
  ])('keeps %j one value that the portal decodes back exactly', (id) => {
    const command = encodeCommand('im.dialog.get', { DIALOG_ID: id });
    const [method, query] = [
      command.slice(0, command.indexOf('?')),
      command.slice(command.indexOf('?') + 1),
    ];
    expect(method).toBe('im.dialog.get');
    expect(qs.parse(query)).toEqual({ DIALOG_ID: id });
    // One parameter: no raw separator may remain.
    expect(query).not.toMatch(/[&?#$]|=.*=/);
  });

  it('does not hide a `$result[…]` reference: the portal decodes first, so only the id grammar keeps them out', () => {
    const command = encodeCommand('im.dialog.get', { DIALOG_ID: '$result[a]' });
    expect(command).toBe('im.dialog.get?DIALOG_ID=%24result%5Ba%5D');
    // What the portal resolves references in: the decoded value, `$` and all.
    expect(qs.parse(command.split('?')[1]!)).toEqual({ DIALOG_ID: '$result[a]' });
    expect(normaliseDialogId('$result[a]')).toBeInstanceOf(DialogIdEmptyError);
  });
});

describe('readBatchOutcomes', () => {
  it('gives each key its result or its typed error', () => {
    const outcomes = readBatchOutcomes(
      {
        result: { a: { id: 1 } },
        result_error: {
          b: { error: 'ACCESS_ERROR', error_description: 'no' },
          c: { error: 'DIALOG_ID_EMPTY', error_description: 'empty' },
          d: { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' },
        },
        result_total: [],
        result_next: [],
        result_time: { a: {} },
      },
      ['a', 'b', 'c', 'd'],
    );
    expect(outcomes.get('a')).toEqual({ ok: true, result: { id: 1 } });
    expect(outcomes.get('b')).toMatchObject({ ok: false, error: expect.any(AccessError) });
    expect(outcomes.get('c')).toMatchObject({ ok: false, error: expect.any(DialogIdEmptyError) });
    expect(outcomes.get('d')).toMatchObject({
      ok: false,
      error: { failure: 'rate-limited', code: 'QUERY_LIMIT_EXCEEDED' },
    });
  });

  it('reads PHP empty arrays: all failed (`result: []`), none failed (`result_error: []`)', () => {
    const allFailed = readBatchOutcomes(
      {
        result: [],
        result_error: { a: { error: 'ACCESS_ERROR' } },
        result_total: [],
        result_next: [],
      },
      ['a'],
    );
    expect(allFailed.get('a')).toMatchObject({ ok: false, error: expect.any(AccessError) });
    const noneFailed = readBatchOutcomes({ result: { a: 1 }, result_error: [] }, ['a']);
    expect(noneFailed.get('a')).toEqual({ ok: true, result: 1 });
  });

  it('reads maps that arrive as lists (commands sent as a list)', () => {
    const outcomes = readBatchOutcomes({ result: [{ id: 1 }, { id: 2 }], result_error: [] }, [
      '0',
      '1',
    ]);
    expect(outcomes.get('1')).toEqual({ ok: true, result: { id: 2 } });
  });

  it('treats a command absent from both maps (after a halt) as not run, never as a silent gap', () => {
    const outcomes = readBatchOutcomes(
      { result: [], result_error: { a: { error: 'ACCESS_ERROR' } } },
      ['a', 'b'],
    );
    expect(outcomes.get('b')).toMatchObject({
      ok: false,
      error: { failure: 'unavailable', code: 'COMMAND_NOT_RUN' },
    });
  });

  it('treats a malformed per-command error as an unexpected answer', () => {
    const outcomes = readBatchOutcomes({ result: [], result_error: { a: 'oops' } }, ['a']);
    expect(outcomes.get('a')).toMatchObject({ ok: false, error: { code: 'UNEXPECTED_ANSWER' } });
  });

  it('refuses a batch answer that is not an object', () => {
    expect(() => readBatchOutcomes([], ['a'])).toThrow(Bitrix24Error);
  });
});

describe('chunk', () => {
  it('splits into pieces of at most the given size, in order', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(
      chunk(
        Array.from({ length: 120 }, (_, i) => i),
        50,
      ).map((piece) => piece.length),
    ).toEqual([50, 50, 20]);
    expect(chunk([], 50)).toEqual([]);
  });
});
