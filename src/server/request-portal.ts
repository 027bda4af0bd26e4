import type { PortalAllowList } from '../bitrix/portal-allow-list.js';
import { badRequest, forbidden } from './plugins/error-policy.js';

/** The header a request names its portal in: the `domain` of BX24.js `getAuth()`. */
export const PORTAL_HEADER = 'x-bitrix24-domain';

/**
 * HTTP header values reach us as Latin-1 text; a client that sends an internationalised name sends
 * its UTF-8 bytes. Anything that is not valid UTF-8 stays undecodable and is refused later.
 */
function decodedHeader(value: string): string {
  return /^\p{ASCII}*$/u.test(value) ? value : Buffer.from(value, 'latin1').toString('utf8');
}

/**
 * The portal a request names in `X-Bitrix24-Domain`, checked against BITRIX24_PORTALS: its host and
 * URL, or a GraphQL error (BAD_REQUEST when missing, FORBIDDEN with `extensions.reason` when not
 * allowed). Nothing is resolved or called for a refused name.
 */
export function portalNamedBy(
  allowList: PortalAllowList,
  request: Request,
): { readonly host: string; readonly portalUrl: URL } {
  const named = request.headers.get(PORTAL_HEADER)?.trim() ?? '';
  if (named === '') {
    throw badRequest(
      'This server serves several Bitrix24 portals: name yours in the `X-Bitrix24-Domain` header (the `domain` of BX24.js `getAuth()`, like acme.bitrix24.com), next to `Authorization: Bearer <token>`.',
    );
  }
  const decoded = decodedHeader(named);
  if (decoded.includes('\uFFFD'))
    throw forbidden('X-Bitrix24-Domain is not a valid host name.', 'MALFORMED');
  const resolution = allowList.resolve(decoded);
  if (!resolution.ok) throw forbidden(resolution.message, resolution.reason);
  return resolution;
}
