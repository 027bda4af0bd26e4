import { describe, expect, it } from '@jest/globals';
import { parseJsonBody } from '../../src/bitrix/json-body.js';

/** Bodies over 1 MiB go through the sliced parser: pad them past it with trailing spaces. */
const large = (text: string) => Buffer.from(text + ' '.repeat(1024 * 1024 + 1));

describe('parseJsonBody', () => {
  const documents = ['{"a":1,"b":[1,2,{"c":"ü"}]}', '[1,2,3]', '123', '"text"', 'null', '{"result":[]}'];

  it.each(documents)('reads %s as JSON.parse does, small or large', async (text) => {
    expect(await parseJsonBody(Buffer.from(text))).toEqual(JSON.parse(text));
    expect(await parseJsonBody(large(text))).toEqual(JSON.parse(text));
  });

  it('reads a 3-million-item list sliced', async () => {
    const text = `{"list":[${Array.from({ length: 3_000_000 }, (_, index) => index).join(',')}]}`;
    const parsed = (await parseJsonBody(Buffer.from(text))) as { list: number[] };
    expect(parsed.list).toHaveLength(3_000_000);
    expect(parsed.list.at(-1)).toBe(2_999_999);
  });

  it.each(['{"a":', '{"a":1}{"b":2}', '{"a":1} x', 'nul', '<html>'])('refuses %s, small or large', async (text) => {
    await expect(parseJsonBody(Buffer.from(text))).rejects.toThrow();
    await expect(parseJsonBody(large(text))).rejects.toThrow();
  });

  it('stops parsing once nobody waits for the answer', async () => {
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    await expect(parseJsonBody(large('{"a":1}'), controller.signal)).rejects.toThrow('gone');
  });
});
