/**
 * The yardstick for server overhead: a bare node:http server that, for each POST, calls
 * im.dialog.get on the portal (keep-alive) and returns the title. No GraphQL, no validation, no
 * batching, no pacing: what a hand-written proxy costs. PORT, UPSTREAM_URL (a webhook base).
 */
import { Agent, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

const upstream = new URL('im.dialog.get', process.env.UPSTREAM_URL);
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
let reported = false;

function callPortal(dialogId: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ DIALOG_ID: dialogId });
    const call = httpRequest(
      upstream,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        answer.on('error', reject);
      },
    );
    call.on('error', reject);
    call.end(body);
  });
}

const server = createServer((incoming, outgoing) => {
  const chunks: Buffer[] = [];
  incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
  incoming.on('end', () => {
    const { id } = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { id?: string };
    callPortal(id ?? 'chat1').then(
      (text) => {
        const { result } = JSON.parse(text) as { result: { name: string } };
        const payload = JSON.stringify({ data: { dialog: { title: result.name } } });
        outgoing
          .writeHead(200, {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
          })
          .end(payload);
      },
      (error: Error) => {
        if (!reported)
          process.stderr.write(
            `bare proxy: upstream call failed (${error.message}); answering 502\n`,
          );
        reported = true;
        outgoing.writeHead(502).end();
      },
    );
  });
});
server.keepAliveTimeout = 5000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
process.once('SIGTERM', () => process.exit(0));
