import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';

/**
 * The portals a multi-portal deployment (`BITRIX24_PORTALS`) may call, and the rules that turn what
 * a request names (`X-Bitrix24-Domain`) into a portal URL. This is the first half of the SSRF
 * defence: only names matching the list, after normalisation, ever become a URL; never an IP
 * literal, user-info, a path or a port that is not listed. The second half is at connect time
 * (portal-egress.ts): the addresses a name resolves to are checked before a connection is made.
 */

/** One entry of the list: `*.bitrix24.com`, `crm.example.com`, `https://crm.example.com:8443`, `http://portal.test:41234`. */
export interface PortalPattern {
  /** The normalised ASCII host; for a wildcard, the suffix after `*.`. */
  readonly host: string;
  /** `*.suffix`: any ONE label in front of the suffix (as in TLS certificates). */
  readonly wildcard: boolean;
  readonly protocol: 'https:' | 'http:';
  /** Listed explicitly; undefined: the scheme's default port. */
  readonly port: number | undefined;
}

/** Why a named portal is refused; `extensions.reason` of the FORBIDDEN error. */
export type PortalRefusalReason =
  | 'MALFORMED'
  | 'IP_LITERAL'
  | 'USER_INFO'
  | 'PORT_NOT_ALLOWED'
  | 'NOT_ALLOWED';

export type PortalResolution =
  | { readonly ok: true; readonly host: string; readonly portalUrl: URL }
  | { readonly ok: false; readonly reason: PortalRefusalReason; readonly message: string };

/** A problem with `BITRIX24_PORTALS`, worded without echoing the entry (it could hold user-info). */
export class PortalListError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'PortalListError';
  }
}

/** The port a URL of each scheme means when it names none. */
const DEFAULT_PORTS: Readonly<Record<PortalPattern['protocol'], number>> = {
  'https:': 443,
  'http:': 80,
};

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** WHATWG URL reads a host whose last label is a number (`1.2.3.4`, `a.0x7f`) as an IPv4 address. */
const NUMERIC_LABEL = /^(?:0x[0-9a-f]*|[0-9]+)$/i;

type HostName =
  | { readonly ok: true; readonly host: string }
  | { readonly ok: false; readonly reason: 'MALFORMED' | 'IP_LITERAL' };

/**
 * A host name as DNS and TLS will see it: IDNA (punycode) through WHATWG's `domainToASCII`, which
 * also lower-cases, maps full-width dots and digits, and turns numeric IPv4 forms (`2130706433`,
 * `0x7f.1`, `0177.0.0.1`) into dotted ones; one trailing dot dropped; every label letters, digits
 * and inner hyphens. Any form of IP address is refused.
 */
export function normaliseHostName(raw: string): HostName {
  if (raw.startsWith('[') || raw.includes(':') || isIP(raw) !== 0)
    return { ok: false, reason: 'IP_LITERAL' };
  // `%` would be percent-decoded by the URL host parser (`exa%41mple` → `exaample`): no such names.
  if (raw === '' || raw.length > 255 || /[%\s/\\?#@]/.test(raw))
    return { ok: false, reason: 'MALFORMED' };
  const lastLabel = raw.replace(/\.$/, '').split('.').at(-1) ?? '';
  const ascii = domainToASCII(raw);
  if (isIP(ascii) !== 0 || NUMERIC_LABEL.test(lastLabel))
    return { ok: false, reason: 'IP_LITERAL' };
  const host = ascii.endsWith('.') ? ascii.slice(0, -1) : ascii;
  const labels = host.split('.');
  if (host === '' || host.length > 253 || !labels.every((label) => LABEL.test(label)))
    return { ok: false, reason: 'MALFORMED' };
  if (NUMERIC_LABEL.test(labels.at(-1)!)) return { ok: false, reason: 'IP_LITERAL' };
  return { ok: true, host };
}

const ENTRY = /^(?:(https?):\/\/)?([^/:]+)(?::([0-9]{1,5}))?\/?$/i;
const ENTRY_SHAPE =
  'entries look like *.bitrix24.com, crm.example.com or https://crm.example.com:8443';

function parseEntry(entry: string, position: number): PortalPattern | string {
  const where = `BITRIX24_PORTALS entry ${position}`;
  if (entry.includes('@'))
    return `${where} holds user-info (user@ or user:password@): list host names only`;
  const match = ENTRY.exec(entry);
  if (!match) return `${where} is not a portal host pattern: ${ENTRY_SHAPE}`;
  const [, scheme, rawHost = '', rawPort] = match;
  const protocol = scheme?.toLowerCase() === 'http' ? 'http:' : 'https:';
  const wildcard = rawHost.startsWith('*.');
  const name = normaliseHostName(wildcard ? rawHost.slice(2) : rawHost);
  if (rawHost.slice(wildcard ? 2 : 0).includes('*'))
    return `${where} has a * that is not a whole first label: ${ENTRY_SHAPE}`;
  if (!name.ok) {
    return name.reason === 'IP_LITERAL'
      ? `${where} is an IP address: list host names (the addresses they resolve to are checked when connecting)`
      : `${where} is not a portal host pattern: ${ENTRY_SHAPE}`;
  }
  if (wildcard && name.host.split('.').length < 2)
    return `${where} is too broad: a wildcard needs at least two labels after it (*.bitrix24.com)`;
  if (wildcard && protocol === 'http:')
    return `${where}: plain http is allowed only for hosts listed one by one (http://portal.example:8080), never for a wildcard`;
  const port = rawPort === undefined ? undefined : Number(rawPort);
  if (port !== undefined && (port < 1 || port > 65_535))
    return `${where} has a port outside 1-65535`;
  return { host: name.host, wildcard, protocol, port };
}

/** The allow-list of `BITRIX24_PORTALS`. */
export class PortalAllowList {
  private constructor(readonly patterns: readonly PortalPattern[]) {}

  /** Parses the variable's comma-separated entries; throws PortalListError with one line per problem. */
  static parse(text: string): PortalAllowList {
    const entries = text
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    if (entries.length === 0)
      throw new PortalListError([`BITRIX24_PORTALS lists no portal: ${ENTRY_SHAPE}`]);
    const problems: string[] = [];
    const patterns: PortalPattern[] = [];
    entries.forEach((entry, index) => {
      const parsed = parseEntry(entry, index + 1);
      if (typeof parsed === 'string') problems.push(parsed);
      else if (
        patterns.some((other) => other.host === parsed.host && other.wildcard === parsed.wildcard)
      ) {
        problems.push(
          `BITRIX24_PORTALS entry ${index + 1} repeats a host listed before it: list each host once`,
        );
      } else patterns.push(parsed);
    });
    if (problems.length > 0) throw new PortalListError(problems);
    return new PortalAllowList(patterns);
  }

  /** Entries served over plain http (tests, an emulator, a portal inside a trusted network). */
  get plainHttp(): readonly PortalPattern[] {
    return this.patterns.filter((pattern) => pattern.protocol === 'http:');
  }

  private patternFor(host: string): PortalPattern | undefined {
    const exact = this.patterns.find((pattern) => !pattern.wildcard && pattern.host === host);
    if (exact) return exact;
    const dot = host.indexOf('.');
    return dot > 0
      ? this.patterns.find((pattern) => pattern.wildcard && pattern.host === host.slice(dot + 1))
      : undefined;
  }

  /**
   * The portal a request names: a host (`acme.bitrix24.com`), optionally `:port` when that port is
   * listed for it. Anything else is refused with the reason, and nothing is resolved or called.
   */
  resolve(named: string): PortalResolution {
    const refuse = (reason: PortalRefusalReason, message: string): PortalResolution => ({
      ok: false,
      reason,
      message,
    });
    if (named.length > 300)
      return refuse('MALFORMED', 'X-Bitrix24-Domain is longer than any host name.');
    if (named.includes('@'))
      return refuse(
        'USER_INFO',
        'X-Bitrix24-Domain must be a host name only, without user-info (user@).',
      );
    if (named.includes('://') || /[/\\?#]/.test(named)) {
      return refuse(
        'MALFORMED',
        'X-Bitrix24-Domain must be the portal host only (like acme.bitrix24.com), without a scheme or a path.',
      );
    }
    if (named.startsWith('[') || (named.match(/:/g)?.length ?? 0) > 1)
      return refuse('IP_LITERAL', 'X-Bitrix24-Domain must be a host name, not an IP address.');
    const [rawHost = '', rawPort] = named.split(':');
    if (rawPort !== undefined && !/^[0-9]{1,5}$/.test(rawPort))
      return refuse('MALFORMED', 'X-Bitrix24-Domain has a malformed port.');
    const name = normaliseHostName(rawHost);
    if (!name.ok) {
      return name.reason === 'IP_LITERAL'
        ? refuse('IP_LITERAL', 'X-Bitrix24-Domain must be a host name, not an IP address.')
        : refuse('MALFORMED', 'X-Bitrix24-Domain is not a valid host name.');
    }
    const pattern = this.patternFor(name.host);
    if (!pattern)
      return refuse(
        'NOT_ALLOWED',
        `${name.host} is not one of the portals this server serves (BITRIX24_PORTALS).`,
      );
    // `host:443` for https (`:80` for http) names the same portal as the host alone: browsers and
    // proxies write the default port out at times.
    const effectivePort = pattern.port ?? DEFAULT_PORTS[pattern.protocol];
    if (rawPort !== undefined && Number(rawPort) !== effectivePort) {
      return refuse(
        'PORT_NOT_ALLOWED',
        `X-Bitrix24-Domain names a port that is not listed for ${name.host}: send the host name alone.`,
      );
    }
    const port = pattern.port === undefined ? '' : `:${pattern.port}`;
    return {
      ok: true,
      host: name.host,
      portalUrl: new URL(`${pattern.protocol}//${name.host}${port}/`),
    };
  }
}
