import { connect } from 'node:net';
import { recordOutput } from './outputs.js';

/**
 * Sends a raw HTTP/1.1 request exactly as written (duplicate headers included), for what no HTTP
 * client will send; resolves with the answer's status and text once the server closes.
 */
export function rawRequest(url: string, head: string): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(head));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => {
      recordOutput(text);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
    });
  });
}
