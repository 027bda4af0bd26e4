import type { DialogLoader } from '../bitrix/dialog-loader.js';
import type { UserLoader } from '../bitrix/user-loader.js';

/** What the resolvers need of each request; the server builds it (src/server/context.ts). */
export interface RequestContext {
  readonly requestId: string;
  /** Epoch ms by which every upstream wait of this request must end. */
  readonly deadline: number;
  /**
   * This request's dialog loader, made on first use. In OAuth mode a caller without a bearer token
   * gets UNAUTHENTICATED here, before anything is sent to the portal.
   */
  dialogs(): DialogLoader;
  /** This request's user loader (same caller, same scheduler as `dialogs()`), made on first use. */
  users(): UserLoader;
}
