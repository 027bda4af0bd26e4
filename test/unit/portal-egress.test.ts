import http from 'node:http';
import https from 'node:https';
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import {
  canonicalAddress,
  filteringAgents,
  isAddressRefusal,
} from '../../src/bitrix/portal-egress.js';

/**
 * The filtering agents are exercised without a single socket: Node's own `createConnection` is
 * replaced by a stand-in that keeps the lookup the agent hands it (the system resolver wrapped by
 * the filter) and connects nowhere. Calling that lookup shows what a real socket would have been
 * told: the addresses to connect to, or the refusal that stops it before `connect()`.
 */
type Outcome = { addresses: string[] } | { refused: Error };

function resolvingTo(addresses: readonly string[]): LookupFunction {
  const resolved: LookupAddress[] = addresses.map((address) => ({
    address,
    family: address.includes(':') ? 6 : 4,
  }));
  return ((
    _hostname: string,
    options: { all?: boolean },
    callback: (...args: unknown[]) => void,
  ) => {
    if (options.all) callback(null, resolved);
    else callback(null, resolved[0]!.address, resolved[0]!.family);
  }) as unknown as LookupFunction;
}

function outcomeOf(
  agent: http.Agent,
  base: typeof http.Agent | typeof https.Agent,
  host: string,
  addresses: readonly string[],
  all = true,
): Promise<Outcome> {
  return new Promise((resolve) => {
    let screened: LookupFunction | undefined;
    const spy = jest
      .spyOn(
        base.prototype as unknown as {
          createConnection: (options: { lookup?: LookupFunction }) => unknown;
        },
        'createConnection',
      )
      .mockImplementation((options) => {
        screened = options.lookup;
        return undefined;
      });
    (
      agent as unknown as {
        createConnection: (options: object, listener: (error: Error | null) => void) => unknown;
      }
    ).createConnection({ host, port: 443, lookup: resolvingTo(addresses) }, (error) => {
      if (error) resolve({ refused: error });
    });
    spy.mockRestore();
    if (!screened) return; // refused before any lookup (an IP literal): the listener has answered
    (
      screened as unknown as (
        host: string,
        options: object,
        callback: (...args: unknown[]) => void,
      ) => void
    )(host, { all }, (error, result, family) => {
      if (error) resolve({ refused: error as Error });
      else
        resolve({
          addresses: all
            ? (result as LookupAddress[]).map((entry) => entry.address)
            : [`${String(result)}/${String(family)}`],
        });
    });
  });
}

const agents = filteringAgents({ allowedPrivateAddresses: [] }, { keepAlive: true, maxSockets: 4 });

afterEach(() => {
  jest.restoreAllMocks();
});

describe('the egress filter of multi-portal mode (request-filtering-agent)', () => {
  it.each([
    ['10.0.0.1'],
    ['172.16.5.4'],
    ['192.168.1.1'],
    ['127.0.0.1'],
    ['127.0.0.2'],
    ['169.254.169.254'],
    ['100.64.0.1'],
    ['0.0.0.0'],
    ['224.0.0.1'],
    ['255.255.255.255'],
    ['198.18.0.1'],
    ['::'],
    ['::1'],
    ['fc00::1'],
    ['fd12:3456::1'],
    ['fe80::1'],
    ['::ffff:10.0.0.1'],
    ['::ffff:127.0.0.1'],
    ['::ffff:169.254.169.254'],
    ['64:ff9b::a00:1'],
  ])('refuses a name resolving to %s, before connecting', async (address) => {
    for (const [agent, base] of [
      [agents.http, http.Agent],
      [agents.https, https.Agent],
    ] as const) {
      const outcome = await outcomeOf(agent, base, 'portal.example', [address]);
      expect(outcome).toEqual({ refused: expect.any(Error) });
      if ('refused' in outcome) expect(isAddressRefusal(outcome.refused)).toBe(true);
      // The single-address form of the lookup (autoSelectFamily off) is screened the same way.
      expect(await outcomeOf(agent, base, 'portal.example', [address], false)).toEqual({
        refused: expect.any(Error),
      });
    }
  });

  it('refuses a name when any of its addresses is refused (a rebinding answer mixes both)', async () => {
    expect(
      await outcomeOf(agents.https, https.Agent, 'portal.example', ['93.184.216.34', '10.0.0.1']),
    ).toEqual({ refused: expect.any(Error) });
  });

  it('lets public addresses through', async () => {
    expect(
      await outcomeOf(agents.https, https.Agent, 'portal.example', [
        '93.184.216.34',
        '2606:4700::1111',
      ]),
    ).toEqual({ addresses: ['93.184.216.34', '2606:4700::1111'] });
  });

  it('refuses an IP literal host without looking anything up', async () => {
    const outcome = await outcomeOf(agents.http, http.Agent, '169.254.169.254', []);
    expect(outcome).toEqual({ refused: expect.any(Error) });
    if ('refused' in outcome) expect(isAddressRefusal(outcome.refused)).toBe(true);
  });

  it('allows exactly the addresses listed in allowedPrivateAddresses, nothing near them', async () => {
    const allowing = filteringAgents(
      { allowedPrivateAddresses: ['127.0.0.1', '10.1.0.7', 'fd00::5'] },
      { keepAlive: true, maxSockets: 4 },
    );
    expect(await outcomeOf(allowing.http, http.Agent, 'a.test', ['127.0.0.1'])).toEqual({
      addresses: ['127.0.0.1'],
    });
    expect(await outcomeOf(allowing.http, http.Agent, 'a.test', ['10.1.0.7', 'fd00::5'])).toEqual({
      addresses: ['10.1.0.7', 'fd00::5'],
    });
    for (const near of [
      '127.0.0.2',
      '::ffff:127.0.0.1',
      '::1',
      '10.1.0.8',
      'fd00::6',
      '169.254.169.254',
    ]) {
      expect(await outcomeOf(allowing.http, http.Agent, 'a.test', [near])).toEqual({
        refused: expect.any(Error),
      });
    }
  });
});

describe('isAddressRefusal', () => {
  it('tells the filter’s refusals from other connection errors', () => {
    expect(
      isAddressRefusal(
        new Error(
          'DNS lookup 10.0.0.1(family:4, host:a.test) is not allowed. Because, It is private IP address.',
        ),
      ),
    ).toBe(true);
    expect(
      isAddressRefusal(
        new Error('outer', {
          cause: new Error(
            'DNS lookup ::1(family:6, host:a.test) is not allowed. Because, It is private IP address.',
          ),
        }),
      ),
    ).toBe(true);
    expect(
      isAddressRefusal(
        Object.assign(new Error('getaddrinfo ENOTFOUND a.test'), { code: 'ENOTFOUND' }),
      ),
    ).toBe(false);
  });
});

describe('canonicalAddress', () => {
  it('reads an address in the resolver’s canonical text, and nothing else (no ranges, no odd IPv4 forms)', () => {
    expect(canonicalAddress('10.0.0.5')).toBe('10.0.0.5');
    expect(canonicalAddress('0:0:0:0:0:0:0:1')).toBe('::1');
    expect(canonicalAddress('FD00::5')).toBe('fd00::5');
    for (const bad of ['localhost', '10.0.0.0/8', '0x7f.1', '127.1', '2130706433', ''])
      expect(canonicalAddress(bad)).toBeUndefined();
  });
});
