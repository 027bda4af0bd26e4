import { describe, expect, it } from '@jest/globals';
import { createLogger } from '../../src/logger.js';
import { LogCapture } from '../helpers/stack.js';

describe('createLogger', () => {
  it('redacts credentials by field name', () => {
    const capture = new LogCapture();
    const logger = createLogger({ level: 'info', destination: capture });
    logger.info(
      {
        auth: 'tok1',
        access_token: 'tok2',
        headers: { authorization: 'Bearer tok3' },
        params: { auth: 'tok4' },
        webhookUrl: 'https://p/rest/1/tok5/',
      },
      'call',
    );
    for (const token of ['tok1', 'tok2', 'tok3', 'tok4', 'tok5'])
      expect(capture.text).not.toContain(token);
    expect(capture.text).toContain('[redacted]');
  });

  it('removes a known secret wherever it appears in a line, even inside a message', () => {
    const capture = new LogCapture();
    const logger = createLogger({
      level: 'info',
      destination: capture,
      secrets: ['hook-secret-123'],
    });
    logger.error(
      { err: new Error('GET https://p/rest/1/hook-secret-123/im.dialog.get failed') },
      'boom at /rest/1/hook-secret-123/',
    );
    expect(capture.text).not.toContain('hook-secret-123');
    expect(capture.lines).toHaveLength(1);
    expect(() => JSON.parse(capture.lines[0]!)).not.toThrow();
  });
});
