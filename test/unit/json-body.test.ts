import { describe, expect, it } from '@jest/globals';
import { JsonTooDeepError, MAX_JSON_DEPTH, parseJsonBody } from '../../src/bitrix/json-body.js';

/** Bodies over 1 MiB go through the sliced parser: pad them past it with trailing spaces. */
const large = (text: string) => Buffer.from(text + ' '.repeat(1024 * 1024 + 1));

describe('parseJsonBody', () => {
  const documents = [
    '{"a":1,"b":[1,2,{"c":"ü"}]}',
    '[1,2,3]',
    '123',
    '"text"',
    'null',
    '{"result":[]}',
  ];

  it.each(documents)('reads %s as JSON.parse does, small or large', async (text) => {
    expect(await parseJsonBody(Buffer.from(text))).toEqual(JSON.parse(text));
    expect(await parseJsonBody(large(text))).toEqual(JSON.parse(text));
  });

  // 1.9 MiB, past the 1 MiB parsed at once: 31 slices, numbers cut at slice ends read whole. A 21 MiB
  // answer of 3 million ids goes through the same parser in test/e2e/upstream-answers.test.ts.
  it('reads a 300 000-item list (1.9 MiB) sliced', async () => {
    const text = `{"list":[${Array.from({ length: 300_000 }, (_, index) => index).join(',')}]}`;
    expect(text.length).toBeGreaterThan(1024 * 1024);
    const parsed = (await parseJsonBody(Buffer.from(text))) as { list: number[] };
    expect(parsed.list).toHaveLength(300_000);
    expect(parsed.list.every((value, index) => value === index)).toBe(true);
  });

  it.each(['{"a":', '{"a":1}{"b":2}', '{"a":1} x', 'nul', '<html>'])(
    'refuses %s, small or large',
    async (text) => {
      await expect(parseJsonBody(Buffer.from(text))).rejects.toThrow();
      await expect(parseJsonBody(large(text))).rejects.toThrow();
    },
  );

  it('reads a body that starts with a UTF-8 byte order mark, small or large', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const text = '{"result":{"id":1}}';
    expect(await parseJsonBody(Buffer.concat([bom, Buffer.from(text)]))).toEqual(JSON.parse(text));
    expect(await parseJsonBody(Buffer.concat([bom, large(text)]))).toEqual(JSON.parse(text));
    // Only at the start: a mark anywhere else is not JSON.
    await expect(
      parseJsonBody(Buffer.concat([Buffer.from(' '), bom, Buffer.from(text)])),
    ).rejects.toThrow();
  });

  const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

  it(`reads nesting up to ${MAX_JSON_DEPTH} levels, and refuses deeper before parsing, small or large`, async () => {
    expect(await parseJsonBody(Buffer.from(nested(MAX_JSON_DEPTH)))).toBeInstanceOf(Array);
    expect(await parseJsonBody(large(nested(MAX_JSON_DEPTH)))).toBeInstanceOf(Array);
    const deeper = `{"result":${nested(MAX_JSON_DEPTH)}}`;
    await expect(parseJsonBody(Buffer.from(deeper))).rejects.toThrow(JsonTooDeepError);
    await expect(parseJsonBody(large(deeper))).rejects.toThrow(JsonTooDeepError);
    // 2 MiB of `[[[[…`: refused at once, without building a million-level stack.
    const hostile = Buffer.alloc(2 * 1024 * 1024, '[');
    await expect(parseJsonBody(hostile)).rejects.toThrow(JsonTooDeepError);
  });

  it('does not count brackets inside strings, escaped quotes included', async () => {
    const text = JSON.stringify({ a: `"${'['.repeat(200)}`, b: '\\', c: ['{'.repeat(100)] });
    expect(await parseJsonBody(Buffer.from(text))).toEqual(JSON.parse(text));
    expect(await parseJsonBody(large(text))).toEqual(JSON.parse(text));
  });

  it('stops parsing once nobody waits for the answer', async () => {
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    await expect(parseJsonBody(large('{"a":1}'), controller.signal)).rejects.toThrow('gone');
  });
});
