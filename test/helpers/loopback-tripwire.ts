import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * A safety net under the SSRF tests: they map portal names to private and metadata addresses
 * (10.0.0.1, 169.254.169.254…) to prove the server refuses them before connecting. Should that
 * refusal ever regress, no packet may leave this machine all the same: while the tripwire is
 * armed, Node's own `createConnection` (below every agent, the filtering ones included) refuses
 * any address outside this machine, and records it so the test fails.
 */
export interface Tripwire {
  /** Addresses something tried to connect to outside loopback, in order. */
  readonly attempts: readonly string[];
  disarm(): void;
}

type CreateConnection = (
  options: { host?: string; lookup?: LookupFunction },
  listener?: (error: Error | null, socket?: unknown) => void,
) => unknown;

function isLocal(address: string): boolean {
  if (isIP(address) === 0) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return ['loopback', 'unspecified'].includes(parsed.range());
}

let armed = 0;
const attempts: string[] = [];
const originals = new Map<object, CreateConnection>();

function guard(original: CreateConnection): CreateConnection {
  return function (this: unknown, options, listener) {
    const host = options.host ?? '';
    if (isIP(host) !== 0 && !isLocal(host)) {
      attempts.push(host);
      const error = new Error(`tripwire: a connection to ${host} was attempted`);
      if (!listener) throw error;
      listener(error);
      return undefined;
    }
    const lookup = options.lookup;
    const guarded =
      lookup &&
      (((
        hostname: string,
        lookupOptions: { all?: boolean },
        callback: (...args: unknown[]) => void,
      ) => {
        (lookup as unknown as (h: string, o: object, c: (...args: unknown[]) => void) => void)(
          hostname,
          lookupOptions,
          (error, result, family) => {
            if (error) return callback(error);
            const addresses = Array.isArray(result)
              ? (result as Array<{ address: string }>).map((entry) => entry.address)
              : [String(result)];
            const outside = addresses.filter((address) => !isLocal(address));
            if (outside.length > 0) {
              attempts.push(...outside);
              return callback(
                new Error(`tripwire: a connection to ${outside.join(', ')} was attempted`),
              );
            }
            return callback(null, result, family);
          },
        );
      }) as unknown as LookupFunction);
    return original.call(this, guarded ? { ...options, lookup: guarded } : options, listener);
  };
}

/** Arms the tripwire (nested arming is counted); the last `disarm()` restores Node's own functions. */
export function armTripwire(): Tripwire {
  if (armed++ === 0) {
    attempts.length = 0;
    for (const prototype of [http.Agent.prototype, https.Agent.prototype]) {
      if (!Object.hasOwn(prototype, 'createConnection')) continue;
      const target = prototype as unknown as { createConnection: CreateConnection };
      originals.set(prototype, target.createConnection);
      target.createConnection = guard(target.createConnection);
    }
  }
  let disarmed = false;
  return {
    get attempts() {
      return [...attempts];
    },
    disarm() {
      if (disarmed) return;
      disarmed = true;
      if (--armed > 0) return;
      for (const [prototype, original] of originals)
        (prototype as unknown as { createConnection: CreateConnection }).createConnection =
          original;
      originals.clear();
    },
  };
}
