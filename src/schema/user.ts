import { GraphQLError } from 'graphql';
import {
  isUserLookupFailure,
  UserIdInvalidError,
  UserNotFoundError,
  type UserLookupFailure,
} from '../bitrix/errors.js';
import type { PortalUser } from '../bitrix/types.js';
import type { UserLoader } from '../bitrix/user-loader.js';
import { builder } from './builder.js';
import type { RequestContext } from './context.js';
import { ErrorInterface } from './errors.js';
import { DateTime } from './scalars.js';

/** `users(ids:)` takes at most this many ids, as `dialogs(ids:)`. */
export const MAX_USER_IDS = 200;

/**
 * The type's name. A supergraph may already own a `User` with other ids (an identity service's):
 * this one is a person *as a Bitrix24 portal knows them*, so it says so. A gateway can still
 * rename it (docs/federation.md).
 */
export const USER_TYPE_NAME = 'Bitrix24User';

const UserGenderEnum = builder.enumType('Bitrix24UserGender', {
  description: 'A user’s gender as their profile says.',
  values: {
    MALE: { value: 'M', description: 'The profile gives the gender as male.' },
    FEMALE: { value: 'F', description: 'The profile gives the gender as female.' },
  } as const,
});

const UserPhonesRef = builder.objectRef<PortalUser['phones']>('Bitrix24UserPhones').implement({
  description: 'The phone numbers on a user’s profile, as typed there (no normalisation).',
  fields: (t) => ({
    work: t.exposeString('work', {
      nullable: true,
      description: 'The work phone; null when not filled in.',
    }),
    mobile: t.exposeString('mobile', {
      nullable: true,
      description: 'The mobile phone; null when not filled in.',
    }),
    personal: t.exposeString('personal', {
      nullable: true,
      description: 'The home phone; null when not filled in.',
    }),
  }),
});

export const UserRef = builder.objectRef<PortalUser>(USER_TYPE_NAME);

UserRef.implement({
  description:
    'A person of the Bitrix24 portal (an employee, an extranet guest, a bot, an open-lines visitor) as `im.user.list.get` describes them to the caller: what a chat UI shows next to a name. The portal’s “not set” (`""`, `false` for dates) is null.',
  fields: (t) => ({
    id: t.exposeID('id', {
      description:
        'The user id on the portal (digits). Asking `user(id:)` with it gives this user; also the federation key.',
    }),
    name: t.exposeString('name', {
      description:
        'The full name to display, as the portal composes it (usually first and last name); may be the login or e-mail for users without a name.',
    }),
    firstName: t.exposeString('firstName', {
      nullable: true,
      description: 'The given name; null when the profile has none.',
    }),
    lastName: t.exposeString('lastName', {
      nullable: true,
      description: 'The family name; null when the profile has none (bots often have none).',
    }),
    workPosition: t.exposeString('workPosition', {
      nullable: true,
      description: 'The job title, e.g. `Sales manager`; null when not filled in.',
    }),
    avatar: t.exposeString('avatar', {
      nullable: true,
      description:
        'The address of the user’s small avatar (about 100×100), absolute or relative to the portal; null when they have none: show `color` with their initials instead.',
    }),
    color: t.exposeString('color', {
      nullable: true,
      description:
        'The user’s colour as a HEX code (`#df532d`), for a placeholder avatar; the portal gives every user one.',
    }),
    gender: t.field({
      type: UserGenderEnum,
      nullable: true,
      description: 'The gender on the profile; null when not said.',
      resolve: (user) => user.gender,
    }),
    birthday: t.exposeString('birthday', {
      nullable: true,
      description:
        'The birthday as `DD-MM` (day and month only: the portal never sends the year); null when not shared.',
    }),
    extranet: t.exposeBoolean('extranet', {
      description:
        'Whether this is an extranet user: someone from outside the company, invited into some workgroups.',
    }),
    network: t.exposeBoolean('network', {
      description: 'Whether this is a Bitrix24.Network user (from another portal).',
    }),
    bot: t.exposeBoolean('bot', {
      description: 'Whether this is a chat bot rather than a person.',
    }),
    connector: t.exposeBoolean('connector', {
      description:
        'Whether this is an open-lines visitor: a customer writing from a messenger or the website widget.',
    }),
    externalAuthId: t.exposeString('externalAuthId', {
      nullable: true,
      description:
        'How the user signs in, as the portal names it: `default` (an ordinary account), `bot`, `imconnector` (open lines), `email`…; null when not sent.',
    }),
    status: t.exposeString('status', {
      nullable: true,
      description:
        'The status the user chose, e.g. `online`, `dnd` (do not disturb), `away`; not whether they are connected now (see `lastActivityAt`).',
    }),
    idleSince: t.expose('idleSince', {
      type: DateTime,
      nullable: true,
      description:
        'Since when the user has been away from their computer; null when they are not idle.',
    }),
    lastActivityAt: t.expose('lastActivityAt', {
      type: DateTime,
      nullable: true,
      description: 'When the user last did anything on the portal; null when never.',
    }),
    desktopLastSeenAt: t.expose('desktopLastSeenAt', {
      type: DateTime,
      nullable: true,
      description: 'When the user last used the desktop app; null when never.',
    }),
    mobileLastSeenAt: t.expose('mobileLastSeenAt', {
      type: DateTime,
      nullable: true,
      description: 'When the user last used the mobile app; null when never.',
    }),
    departmentIds: t.exposeIDList('departmentIds', {
      description: 'The departments the user belongs to (ids); empty for extranet users and bots.',
    }),
    absentUntil: t.expose('absentUntil', {
      type: DateTime,
      nullable: true,
      description:
        'The last day of the user’s current absence (leave, trip) per the absence chart; null when they are not away.',
    }),
    phones: t.expose('phones', {
      type: UserPhonesRef,
      description: 'The phone numbers on the profile.',
    }),
  }),
});

builder.objectType(UserIdInvalidError, {
  name: 'UserIdInvalidError',
  description:
    'The id is not a user id (a positive integer). This server answers it without asking the portal.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    userId: t.exposeID('userId', { description: 'The id that was asked for, as sent (trimmed).' }),
  }),
});

builder.objectType(UserNotFoundError, {
  name: 'UserNotFoundError',
  description:
    'There is no user with this id that the caller may see: the portal does not tell a missing user from a hidden one (an extranet user is visible only to people who share a workgroup with them).',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    userId: t.exposeID('userId', { description: 'The user id that was asked for.' }),
  }),
});

export const UserResult = builder.errorUnion('Bitrix24UserResult', {
  description:
    'A user, or why it could not be given: select `... on Bitrix24User { … }` and `... on Error { code message }`.',
  types: [UserRef, UserIdInvalidError, UserNotFoundError],
  // Error instances are matched by class first; anything else is a user.
  resolveType: () => USER_TYPE_NAME,
});

/** One user or its documented error as a value; other failures stay thrown (errors at the field). */
export function loadUserResult(
  loader: UserLoader,
  id: string,
): Promise<PortalUser | UserLookupFailure> {
  return loader.load(id).catch((error: unknown) => {
    if (isUserLookupFailure(error)) return error;
    throw error;
  });
}

/**
 * A person an edge points at, or null when the caller may not see them (or the id is not one):
 * an edge answers what the caller may know, and the id field beside it still says who it was.
 */
export function loadUserOrNull(
  context: RequestContext,
  id: string | null,
): Promise<PortalUser | null> {
  if (id === null) return Promise.resolve(null);
  return context
    .users()
    .load(id)
    .catch((error: unknown) => {
      if (isUserLookupFailure(error)) return null;
      throw error;
    });
}

builder.queryFields((t) => ({
  user: t.field({
    type: UserResult,
    nullable: true,
    description:
      'One person of the portal by user id, as the caller may see them. Null, with an error, only when the portal could not be asked (auth, rate limit, outage).',
    args: {
      id: t.arg.id({ required: true, description: 'The user id, e.g. `256`.' }),
    },
    resolve: (_root, { id }, context) => loadUserResult(context.users(), id),
  }),
  users: t.field({
    type: [UserResult],
    nullable: { list: true, items: true },
    description: `Many people at once: one result per id, in the order asked (duplicates allowed). At most ${MAX_USER_IDS} ids; they share calls with the operation's dialogs (up to 50 lookups a call).`,
    args: {
      ids: t.arg.idList({
        required: true,
        description: `The user ids; at most ${MAX_USER_IDS}.`,
      }),
    },
    resolve: (_root, { ids }, context) => {
      if (ids.length > MAX_USER_IDS) {
        throw new GraphQLError(
          `users(ids:) takes at most ${MAX_USER_IDS} ids; got ${ids.length}.`,
          {
            extensions: { code: 'BAD_USER_INPUT' },
          },
        );
      }
      const loader = context.users();
      return ids.map((id) => loadUserResult(loader, id));
    },
  }),
}));

/**
 * `Bitrix24User` is a federation entity keyed by its user id, resolved through the request's
 * UserLoader like every other path (so `_entities` for N users shares calls).
 */
builder.asEntity(UserRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: ({ id }: { id: unknown }, context) =>
    typeof id === 'string' || typeof id === 'number'
      ? context.users().load(String(id))
      : Promise.reject(new UserIdInvalidError('', 'A Bitrix24User reference needs its id')),
});
