import type { YogaInitialContext } from 'graphql-yoga';
import { portalHost, type Credentials, type PortalTarget } from '../bitrix/credentials.js';
import type { DialogCache } from '../bitrix/dialog-cache.js';
import { DialogLoader, type DialogLookups } from '../bitrix/dialog-loader.js';
import type { UserCache } from '../bitrix/user-cache.js';
import { UserLoader } from '../bitrix/user-loader.js';
import type { RequestContext } from '../schema/context.js';
import { deadlineFor } from './plugins/request-deadline.js';
import { recordFor } from './plugins/request-log.js';
import { credentialsFor } from './request-credentials.js';

export interface ContextDependencies {
  readonly portal: PortalTarget;
  /** The upstream scheduler: lookups of every request go through it. */
  readonly lookups: DialogLookups;
  /** How long one GraphQL request may wait on the portal, retries and pacing included. */
  readonly deadlineMs: number;
  readonly cache?: DialogCache | undefined;
  readonly userCache?: UserCache | undefined;
  /** Wraps each DataLoader batch, of dialogs or of users (tracing). */
  readonly aroundBatch?: BatchWrapper;
}

/** What a DataLoader batch loads. */
export type BatchKind = 'dialogs' | 'users';
export type BatchWrapper = <T>(
  kind: BatchKind,
  ids: readonly string[],
  load: () => Promise<T>,
) => Promise<T>;

/**
 * Builds each request's context. One DialogLoader per request, and so per caller: two callers
 * never share loaded dialogs, and a loader lives no longer than its request.
 */
export function createContextFactory({
  portal,
  lookups,
  deadlineMs,
  cache,
  userCache,
  aroundBatch,
}: ContextDependencies) {
  return ({ request }: YogaInitialContext): RequestContext => {
    let loader: DialogLoader | undefined;
    let users: UserLoader | undefined;
    const deadline = deadlineFor(request, deadlineMs);
    const record = recordFor(request);
    return {
      requestId: record.requestId,
      deadline: deadline.at,
      dialogs: () => (loader ??= loaderFor(credentialsFor(portal, request))),
      users: () => (users ??= userLoaderFor(credentialsFor(portal, request))),
    };
    function upstreamOptions(credentials: Credentials) {
      // The request line names the portal (a host: never the webhook's path or a token).
      record.portal = portalHost(credentials);
      return {
        lookups,
        credentials,
        // Aborts at the deadline, or when the request's client goes away.
        signal: deadline.signal,
        deadline: deadline.at,
        onCall: () => {
          record.upstreamCalls++;
        },
      };
    }
    function loaderFor(credentials: Credentials): DialogLoader {
      // Users read by reference in a dialog's call go to this request's user loader.
      users ??= userLoaderFor(credentials);
      return new DialogLoader({
        ...upstreamOptions(credentials),
        cache,
        users,
        ...(aroundBatch ? { aroundBatch: (ids, load) => aroundBatch('dialogs', ids, load) } : {}),
      });
    }
    function userLoaderFor(credentials: Credentials): UserLoader {
      // Read with this request's own credentials, never another caller's.
      return new UserLoader({
        ...upstreamOptions(credentials),
        cache: userCache,
        ...(aroundBatch ? { aroundBatch: (ids, load) => aroundBatch('users', ids, load) } : {}),
      });
    }
  };
}
