import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import got from 'got';
import { DEMO_TOKENS } from '../../src/emulator/fixtures.js';
import {
  compose,
  HELPDESK_SDL,
  startGateway,
  startHelpdesk,
  type Running,
  type Ticket,
} from '../helpers/federation.js';
import { secondPortal } from '../helpers/portals.js';
import { startStack, type Stack, type StackOptions } from '../helpers/stack.js';

const SUBGRAPH_SDL = readFileSync(
  new URL('../../schema/subgraph.graphql', import.meta.url),
  'utf8',
);
const bulkIds = (count: number) =>
  Array.from({ length: count }, (_, index) => `chat${10001 + index}`);

/* The subgraph's own _service and _entities, without a gateway: test/in-process/federation.test.ts. */

interface GatewayResponse {
  data?: { tickets: Array<{ id: string; dialog: { id: string; title: string } | null }> } | null;
  errors?: Array<{
    message: string;
    path?: Array<string | number>;
    extensions?: Record<string, unknown>;
  }>;
}

describe('composition', () => {
  it('composes our subgraph SDL with another team’s subgraph, with no errors and no hints', () => {
    const result = compose([
      { name: 'dialogs', url: 'http://dialogs.invalid/graphql', sdl: SUBGRAPH_SDL },
      { name: 'helpdesk', url: 'http://helpdesk.invalid/graphql', sdl: HELPDESK_SDL },
    ]);
    expect(result.errors).toBeUndefined();
    expect((result.hints ?? []).map((hint) => `${hint.definition.code}: ${hint.message}`)).toEqual(
      [],
    );
    expect(result.supergraphSdl).toContain('type Dialog');
  });
});

describe('behind a real gateway (Apollo Gateway over a composed supergraph)', () => {
  const tickets: Ticket[] = [
    ...bulkIds(60).map((dialogId, index) => ({
      id: `T${index + 1}`,
      subject: `Ticket ${index + 1}`,
      dialogId,
    })),
    { id: 'T61', subject: 'Board matters', dialogId: 'chat666' },
  ];

  async function startFederation(
    mode: 'webhook' | 'oauth' | StackOptions,
  ): Promise<{ stack: Stack; helpdesk: Running; gateway: Running; close: () => Promise<void> }> {
    const stack = await startStack(typeof mode === 'string' ? { mode } : mode);
    const helpdesk = await startHelpdesk(tickets);
    const gateway = await startGateway([
      { name: 'dialogs', url: `${stack.url}/graphql`, sdl: SUBGRAPH_SDL },
      { name: 'helpdesk', url: helpdesk.url, sdl: HELPDESK_SDL },
    ]);
    return {
      stack,
      helpdesk,
      gateway,
      close: async () => {
        await gateway.close();
        await helpdesk.close();
        await stack.close();
      },
    };
  }

  const ask = (gateway: Running, first: number, headers: Record<string, string> = {}) =>
    got
      .post(gateway.url, {
        json: {
          query: 'query($first: Int!) { tickets(first: $first) { id dialog { id title } } }',
          variables: { first },
        },
        headers,
        throwHttpErrors: false,
      })
      .json<GatewayResponse>();

  describe('webhook mode', () => {
    let federation: Awaited<ReturnType<typeof startFederation>>;
    beforeAll(async () => {
      federation = await startFederation('webhook');
    });
    afterAll(() => federation.close());
    beforeEach(() => {
      federation.stack.emulator.faults.clear();
      federation.stack.resetCalls();
    });

    it('answers 60 tickets with their dialogs’ titles for at most 2 upstream calls', async () => {
      const response = await ask(federation.gateway, 60);
      expect(response.errors).toBeUndefined();
      expect(response.data?.tickets).toEqual(
        tickets.slice(0, 60).map((ticket, index) => ({
          id: ticket.id,
          dialog: { id: ticket.dialogId, title: `Project room #${index + 1}` },
        })),
      );
      expect(federation.stack.upstreamCalls()).toBeLessThanOrEqual(2);
      expect(
        federation.stack.emulator.requests
          .slice(-federation.stack.upstreamCalls())
          .every((call) => call.method === 'batch'),
      ).toBe(true);
    });

    it('brings our ACCESS_ERROR to the gateway’s client, with its code, and the other tickets intact', async () => {
      const response = await ask(federation.gateway, 61);
      expect(response.data?.tickets).toHaveLength(61);
      expect(response.data?.tickets[60]).toEqual({ id: 'T61', dialog: null });
      expect(response.data?.tickets[59]?.dialog?.title).toBe('Project room #60');
      expect(response.errors).toEqual([
        expect.objectContaining({
          message: 'You do not have access to the specified dialog',
          extensions: expect.objectContaining({ code: 'ACCESS_ERROR', dialogId: 'chat666' }),
        }),
      ]);
    });

    it('brings our upstream error codes to the gateway’s client', async () => {
      federation.stack.emulator.faults.inject('internal-error', 100);
      const response = await ask(federation.gateway, 3);
      expect(response.data?.tickets.map((ticket) => ticket.dialog)).toEqual([null, null, null]);
      expect(response.errors?.map((error) => error.extensions?.code)).toContain(
        'UPSTREAM_UNAVAILABLE',
      );
    });
  });

  describe('OAuth pass-through', () => {
    let federation: Awaited<ReturnType<typeof startFederation>>;
    beforeAll(async () => {
      federation = await startFederation('oauth');
    });
    afterAll(() => federation.close());

    it('passes the client’s Authorization header through the gateway to us, and to the portal as that user', async () => {
      const anna = await ask(federation.gateway, 3, {
        authorization: `Bearer ${DEMO_TOKENS.anna}`,
      });
      expect(anna.errors).toBeUndefined();
      expect(anna.data?.tickets.map((ticket) => ticket.dialog?.title)).toEqual([
        'Project room #1',
        'Project room #2',
        'Project room #3',
      ]);
      expect(federation.stack.emulator.requests.at(-1)).toMatchObject({
        transport: 'oauth',
        userId: 1,
      });

      const boris = await ask(federation.gateway, 3, {
        authorization: `Bearer ${DEMO_TOKENS.boris}`,
      });
      expect(boris.data?.tickets.map((ticket) => ticket.dialog)).toEqual([null, null, null]);
      expect(boris.errors?.every((error) => error.extensions?.code === 'ACCESS_ERROR')).toBe(true);
      expect(federation.stack.emulator.requests.at(-1)).toMatchObject({
        transport: 'oauth',
        userId: 2,
      });
    });

    it('answers UNAUTHENTICATED through the gateway when the client sends no token', async () => {
      federation.stack.resetCalls();
      const response = await ask(federation.gateway, 2);
      expect(response.data?.tickets.map((ticket) => ticket.dialog)).toEqual([null, null]);
      expect(response.errors?.map((error) => error.extensions?.code)).toContain('UNAUTHENTICATED');
      expect(federation.stack.upstreamCalls()).toBe(0);
    });
  });
});

describe('behind a real gateway, one deployment for two portals (BITRIX24_PORTALS)', () => {
  const portalB = secondPortal('portal B');
  const tickets: Ticket[] = [1, 2, 3].map((index) => ({
    id: `T${index}`,
    subject: `Ticket ${index}`,
    dialogId: `chat${10000 + index}`,
  }));
  let stack: Stack;
  let helpdesk: Running;
  let gateway: Running;
  beforeAll(async () => {
    stack = await startStack({
      portals: [
        { host: 'portal-a.test' },
        { host: 'portal-b.test', emulator: { fixtures: portalB.fixtures } },
      ],
    });
    helpdesk = await startHelpdesk(tickets);
    gateway = await startGateway([
      { name: 'dialogs', url: `${stack.url}/graphql`, sdl: SUBGRAPH_SDL },
      { name: 'helpdesk', url: helpdesk.url, sdl: HELPDESK_SDL },
    ]);
  });
  afterAll(async () => {
    await gateway.close();
    await helpdesk.close();
    await stack.close();
  });

  const ask = (headers: Record<string, string>) =>
    got
      .post(gateway.url, {
        json: { query: '{ tickets(first: 3) { id dialog { id title } } }' },
        headers,
        throwHttpErrors: false,
      })
      .json<GatewayResponse>();

  it('passes Authorization and X-Bitrix24-Domain through the gateway: each client’s dialogs come from its own portal', async () => {
    const fromA = await ask({
      authorization: `Bearer ${DEMO_TOKENS.anna}`,
      'x-bitrix24-domain': 'portal-a.test',
    });
    expect(fromA.errors).toBeUndefined();
    expect(fromA.data?.tickets.map((ticket) => ticket.dialog?.title)).toEqual([
      'Project room #1',
      'Project room #2',
      'Project room #3',
    ]);
    const fromB = await ask({
      authorization: `Bearer ${portalB.tokens.anna}`,
      'x-bitrix24-domain': 'portal-b.test',
    });
    expect(fromB.errors).toBeUndefined();
    expect(fromB.data?.tickets.map((ticket) => ticket.dialog?.title)).toEqual([
      'Project room #1 (portal B)',
      'Project room #2 (portal B)',
      'Project room #3 (portal B)',
    ]);
    expect(stack.portalEmulators.get('portal-a.test')!.requests.at(-1)).toMatchObject({
      transport: 'oauth',
      userId: 1,
      method: 'batch',
    });
    expect(stack.portalEmulators.get('portal-b.test')!.requests.at(-1)).toMatchObject({
      transport: 'oauth',
      userId: 1,
      method: 'batch',
    });
  });

  it('brings BAD_REQUEST to the gateway’s client when the portal header is not forwarded, and FORBIDDEN for a portal not listed', async () => {
    const before = stack.portalEmulators.get('portal-a.test')!.requests.length;
    const missing = await ask({ authorization: `Bearer ${DEMO_TOKENS.anna}` });
    expect(missing.data?.tickets.map((ticket) => ticket.dialog)).toEqual([null, null, null]);
    expect(missing.errors?.map((error) => error.extensions?.code)).toContain('BAD_REQUEST');
    const unlisted = await ask({
      authorization: `Bearer ${DEMO_TOKENS.anna}`,
      'x-bitrix24-domain': '169.254.169.254',
    });
    expect(unlisted.errors?.map((error) => error.extensions?.code)).toContain('FORBIDDEN');
    expect(stack.portalEmulators.get('portal-a.test')!.requests.length).toBe(before);
  });
});
