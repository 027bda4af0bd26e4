import { Agent, request as httpRequest } from 'node:http';

/**
 * The load generators use node:http directly: got costs a millisecond or two of CPU per request,
 * which on a 2-core machine shared with the server and the emulator would show as the server's
 * latency. A connection per request: a reused keep-alive socket races the server closing idle ones.
 */
const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });

/** POSTs one GraphQL request to the server on loopback `port`; resolves to the answer's text. */
export function postGraphql(
  port: number,
  json: object,
  { token, timeoutMs }: { token?: string | undefined; timeoutMs: number },
): Promise<string> {
  const payload = JSON.stringify(json);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        response.on('error', reject);
      },
    );
    request.setTimeout(timeoutMs, () => request.destroy(new Error('timeout')));
    request.on('error', reject);
    request.end(payload);
  });
}
