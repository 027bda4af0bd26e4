import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';

export interface FakeDns {
  /** Give to createUpstream's `egress.lookup`: resolves only the names given, from memory. */
  readonly lookup: LookupFunction;
  /** Every name asked for, in order: a refused header must never get this far. */
  readonly asked: readonly string[];
}

/**
 * A test-only resolver that maps made-up portal names (`portal-a.test`) to the addresses given,
 * without /etc/hosts or any DNS server; any other name fails as a real resolver would (ENOTFOUND).
 * It answers both forms Node asks in (`all: true` for happy eyeballs, one address otherwise).
 */
export function fakeDns(names: Readonly<Record<string, readonly string[]>>): FakeDns {
  const asked: string[] = [];
  const lookup = ((
    hostname: string,
    options: { all?: boolean },
    callback: (...args: unknown[]) => void,
  ) => {
    asked.push(hostname);
    const addresses: LookupAddress[] = (names[hostname.toLowerCase()] ?? []).map((address) => ({
      address,
      family: address.includes(':') ? 6 : 4,
    }));
    process.nextTick(() => {
      if (addresses.length === 0) {
        callback(
          Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
            code: 'ENOTFOUND',
            hostname,
          }),
        );
      } else if (options.all) {
        callback(null, addresses);
      } else {
        callback(null, addresses[0]!.address, addresses[0]!.family);
      }
    });
  }) as unknown as LookupFunction;
  return { lookup, asked };
}
