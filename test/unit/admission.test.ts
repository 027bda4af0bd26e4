import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import { AdmissionControl } from '../../src/server/admission.js';

/** Just what admission control touches of node:http's request and response. */
function exchange(url = '/graphql') {
  const request = { url, method: 'POST', headers: {} } as unknown as IncomingMessage;
  const response = Object.assign(new EventEmitter(), {
    destroyed: false,
    status: 0,
    headers: {} as Record<string, string>,
    body: '',
    writeHead(status: number, headers: Record<string, string>) {
      this.status = status;
      this.headers = headers;
      return this;
    },
    end(body?: string) {
      this.body = body ?? '';
      (this as unknown as EventEmitter).emit('close');
    },
  });
  return { request, response: response as typeof response & ServerResponse };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('admission control', () => {
  it('counts a whole burst before starting any of it, and refuses what exceeds the limit at once', async () => {
    const started: string[] = [];
    const admission = new AdmissionControl({ maxInFlight: 3, deadlineMs: 25_000 });
    const handler = admission.wrap((request) => {
      started.push(request.url ?? '');
    });
    const burst = Array.from({ length: 5 }, (_, index) => exchange(`/graphql?n=${index}`));
    for (const { request, response } of burst) handler(request, response);
    // Nothing has started yet; the two beyond the limit are already answered.
    expect(started).toEqual([]);
    expect(burst.map(({ response }) => response.status)).toEqual([0, 0, 0, 503, 503]);
    expect(burst[3]!.response.headers['retry-after']).toBe('1');
    // Probes are never counted nor refused.
    const health = exchange('/health');
    handler(health.request, health.response);
    expect(started).toEqual(['/health']);
    await nextTurn();
    expect(started).toEqual(['/health', '/graphql?n=0', '/graphql?n=1', '/graphql?n=2']);
    expect(admission.active).toBe(3);
    // A finished exchange frees its slot.
    burst[0]!.response.end();
    expect(admission.active).toBe(2);
  });

  it('refuses an admitted request that waited too long for its start, instead of starting it late', async () => {
    const started: string[] = [];
    const admission = new AdmissionControl({
      maxInFlight: 100,
      deadlineMs: 25_000,
      maxStartWaitMs: 200,
    });
    const handler = admission.wrap((request) => {
      started.push(request.url ?? '');
      // An expensive start: it keeps the event loop busy for longer than the others may wait.
      const until = performance.now() + 60;
      while (performance.now() < until);
    });
    const burst = Array.from({ length: 20 }, (_, index) => exchange(`/graphql?n=${index}`));
    for (const { request, response } of burst) handler(request, response);
    for (let turn = 0; turn < 4; turn++) await nextTurn();
    // Starts take 60 ms each: those reached within 200 ms of their arrival start, the rest are
    // refused when their turn comes, not started late.
    const refused = burst.filter(({ response }) => response.status === 503);
    expect(started.length).toBeGreaterThanOrEqual(1);
    expect(started.length).toBeLessThanOrEqual(4);
    expect(refused).toHaveLength(20 - started.length);
    expect(admission.active).toBe(started.length);
  });

  it('does not start a request whose client left while it waited', async () => {
    const started: string[] = [];
    const admission = new AdmissionControl({ maxInFlight: 2, deadlineMs: 25_000 });
    const handler = admission.wrap((request) => {
      started.push(request.url ?? '');
    });
    const gone = exchange();
    handler(gone.request, gone.response);
    gone.response.destroyed = true;
    gone.response.emit('close');
    expect(admission.active).toBe(0);
    await nextTurn();
    expect(started).toEqual([]);
  });
});
