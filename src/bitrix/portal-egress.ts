import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';

/**
 * Where a multi-portal deployment may connect: the second half of the SSRF defence (the first is
 * the allow-list of names, portal-allow-list.ts). The agents check every address a portal's name
 * resolves to at connect time, inside the socket's own lookup, before `connect()`: private
 * (10/8, 172.16/12, 192.168/16), loopback, link-local (169.254/16, so the cloud metadata service
 * 169.254.169.254 too), CGNAT (100.64/10), unspecified (0.0.0.0, ::), unique-local v6 (fc00::/7),
 * v4-mapped v6 and every other range that is not global unicast are refused, unless listed in
 * `allowedPrivateAddresses`. The address checked is the one connected to, so DNS rebinding (a
 * name that answers a public address first and a private one later) cannot reach the inside.
 */
export interface EgressPolicy {
  /** Addresses outside global unicast that portal names may still resolve to (exact, canonical); default none. */
  readonly allowedPrivateAddresses: readonly string[];
  /**
   * Resolves portal names instead of the system resolver. Only tests set it (to map made-up portal
   * names to loopback without touching /etc/hosts); the configuration has no way to.
   */
  readonly lookup?: LookupFunction | undefined;
}

/**
 * An entry of `allowedPrivateAddresses` as the filtering agent compares it: one address, in the
 * canonical text the resolver gives (the agent compares single addresses as text); undefined when
 * it is not an address. Ranges are not accepted: the agent matches a range with ipaddr.js, which
 * cannot compare an IPv4 range with an IPv6 address, so every connection of the other family
 * would print a warning; and a list of exact addresses is the tighter policy anyway.
 */
export function canonicalAddress(value: string): string | undefined {
  return isIP(value) === 0 ? undefined : ipaddr.parse(value).toString();
}

/** The keep-alive agents of a multi-portal deployment, refusing addresses outside the policy. */
export function filteringAgents(
  policy: EgressPolicy,
  agentOptions: { keepAlive: boolean; maxSockets: number },
): { http: HttpAgent; https: HttpsAgent } {
  const filter = {
    allowPrivateIPAddress: false,
    allowMetaIPAddress: false,
    allowIPAddressList: [...policy.allowedPrivateAddresses],
    denyIPAddressList: [],
  };
  return {
    http: new RequestFilteringHttpAgent({ ...agentOptions, ...filter }),
    https: new RequestFilteringHttpsAgent({ ...agentOptions, ...filter }),
  };
}

/**
 * Whether a failed request was refused by the filtering agent (an address outside the policy).
 * The library raises plain errors, recognisable only by their text ("DNS lookup 10.0.0.1(family:4,
 * host:…) is not allowed. Because, It is private IP address."); a unit test pins it.
 */
export function isAddressRefusal(error: unknown): boolean {
  for (
    let cause: unknown = error, depth = 0;
    cause instanceof Error && depth < 4;
    cause = cause.cause, depth++
  ) {
    if (/^DNS lookup \S+ .*\bis not allowed\. Because\b/.test(cause.message)) return true;
  }
  return false;
}
