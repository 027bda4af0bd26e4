import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

/*
 * The Host header, checked before yoga sees the request. A malformed one (`a b`, `[::1`, a port
 * past 65535) made yoga's `new URL()` throw, answered 500 with a stack trace; one with a path or
 * user-info (`evil/x`, `x@y`) was served as if it named this server. With HOST_ALLOWLIST set, only
 * the listed names are served: a web page that rebinds its own DNS name to this server's address
 * (DNS rebinding) sends its own name as Host, and would otherwise read the answers of a server
 * that holds a webhook, from inside the network, through a browser.
 */

/**
 * A host as RFC 9110 allows it in Host: a name (underscores included, as container service names
 * have them) or an IPv4 address, or an IPv6 literal, then an optional port. Percent-encoding and
 * the sub-delimiters (`,;=!$&'()*+`) the URI grammar also allows name no host anyone serves.
 */
const HOST_SHAPE = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_][A-Za-z0-9._~-]{0,252})(?::([0-9]{1,5}))?$/;

/** Paths served whatever the Host: probes of orchestrators call by address (`10.0.0.7:4000`). */
const PROBE_PATHS: ReadonlySet<string> = new Set(['/health', '/readiness']);

/** The name in a Host header (lower case, no port, no trailing dot); undefined when malformed. */
export function hostNameOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = HOST_SHAPE.exec(header);
  if (!match) return undefined;
  const port = match[1];
  if (port !== undefined && Number(port) > 65_535) return undefined;
  const name = port === undefined ? header : header.slice(0, -(port.length + 1));
  return name.toLowerCase().replace(/\.$/, '');
}

/** `HOST_ALLOWLIST` entries: exact names, or `*.example.com` for any name under `example.com`. */
export function hostAllowed(name: string, allowList: readonly string[]): boolean {
  return allowList.some((entry) =>
    entry.startsWith('*.') ? name.endsWith(entry.slice(1)) : name === entry,
  );
}

function refuse(response: ServerResponse, status: number, code: string, message: string): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  });
  response.end(body);
}

/**
 * Wraps the HTTP handler: a malformed Host is a 400, a Host outside a non-empty allow-list a 421
 * (Misdirected Request), both before any of the request is read or run. Probe paths skip the
 * allow-list, never the shape check.
 */
export function withHostCheck(handler: RequestListener, allowList: readonly string[]) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    const name = hostNameOf(request.headers.host);
    if (name === undefined) {
      refuse(response, 400, 'BAD_REQUEST', 'The Host header is missing or malformed.');
      return;
    }
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (allowList.length > 0 && !PROBE_PATHS.has(path) && !hostAllowed(name, allowList)) {
      refuse(
        response,
        421,
        'MISDIRECTED_REQUEST',
        'This server does not serve the host named in the Host header (HOST_ALLOWLIST).',
      );
      return;
    }
    handler(request, response);
  };
}
