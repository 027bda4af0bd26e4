import { randomBytes } from 'node:crypto';
import {
  LIMITED_USER_ID,
  SAMPLE_FIXTURES,
  SAMPLE_USER_ID,
  type Fixtures,
} from '../../src/emulator/fixtures.js';
import { registerSecret } from './outputs.js';

/** A made-up token, registered with the run-wide secret scan. */
export function madeUpToken(label: string): string {
  const token = `${label}-${randomBytes(8).toString('hex')}`;
  registerSecret(token);
  return token;
}

/**
 * Another portal's sample data: the same chats, their titles marked with the portal's name (so a
 * test sees which portal answered), and tokens of its own; none of the demo portal's tokens is
 * valid there. `shared` tokens are known to both, as if one token string were valid on two
 * portals (it never is, but the cache key must not depend on that).
 */
export function secondPortal(
  name: string,
  shared: readonly string[] = [],
): { fixtures: Fixtures; tokens: { anna: string; boris: string } } {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const tokens = { anna: madeUpToken(`${slug}-anna`), boris: madeUpToken(`${slug}-boris`) };
  return {
    tokens,
    fixtures: {
      ...SAMPLE_FIXTURES,
      chats: SAMPLE_FIXTURES.chats.map((chat) => ({ ...chat, name: `${chat.name} (${name})` })),
      users: SAMPLE_FIXTURES.users.map((user) => ({ ...user, name: `${user.name} (${name})` })),
      webhooks: [],
      tokens: [
        { token: tokens.anna, userId: SAMPLE_USER_ID, scopes: ['im'] },
        { token: tokens.boris, userId: LIMITED_USER_ID, scopes: ['im'] },
        ...shared.map((token) => ({ token, userId: SAMPLE_USER_ID, scopes: ['im'] })),
      ],
    },
  };
}

/** The demo portal's fixtures plus `shared` tokens of the sample user. */
export function demoPortalWith(shared: readonly string[]): Fixtures {
  return {
    ...SAMPLE_FIXTURES,
    tokens: [
      ...SAMPLE_FIXTURES.tokens,
      ...shared.map((token) => ({ token, userId: SAMPLE_USER_ID, scopes: ['im'] })),
    ],
  };
}
