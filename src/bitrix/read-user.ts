import { Bitrix24Error } from './errors.js';
import { isRecord, phpMap } from './envelope.js';
import { readBoolean, readDate, readId, readText } from './read-dialog.js';
import type { PortalUser } from './types.js';

/*
 * A tolerant reader of `im.user.list.get` answers (docs/bitrix24-api.md, "im.user.list.get"), in the
 * spirit of read-dialog.ts: a field in an unexpected shape reads as null, never as a failed user.
 * The portal's `false` for a date it does not have, `""` for an avatar, a phone or a birthday it
 * does not have, and `null` all read as null. Only a user without an id is refused.
 */

/** `DD-MM` as the portal sends a birthday; anything else reads as not said. */
const BIRTHDAY = /^(\d{2})-(\d{2})$/;

function readBirthday(value: unknown): string | null {
  const text = readText(value);
  return text !== null && BIRTHDAY.test(text.trim()) ? text.trim() : null;
}

function readIds(value: unknown): string[] {
  const items = Array.isArray(value) ? value : isRecord(value) ? Object.values(value) : [];
  return items.map(readId).filter((id): id is string => id !== null);
}

/** The portal's gender letters; anything else (`""`) is not said. */
function readGender(value: unknown): 'M' | 'F' | null {
  return value === 'M' || value === 'F' ? value : null;
}

function unexpected(what: string): Bitrix24Error {
  return new Bitrix24Error({
    failure: 'unavailable',
    code: 'UNEXPECTED_ANSWER',
    message: `Bitrix24 answered im.user.list.get ${what}`,
  });
}

/** One user of an `im.user.list.get` answer; `null` stays null (no user the caller may see). */
export function readUser(raw: unknown): PortalUser | null {
  if (raw === null || raw === undefined || raw === false) return null;
  if (!isRecord(raw)) throw unexpected('with a user that is not an object');
  const id = readId(raw.id);
  if (id === null) throw unexpected('with a user without an id');
  const phones = isRecord(raw.phones) ? raw.phones : {};
  const firstName = readText(raw.first_name);
  const lastName = readText(raw.last_name);
  return {
    id,
    name:
      readText(raw.name) ?? ([firstName, lastName].filter((part) => part !== null).join(' ') || ''),
    firstName,
    lastName,
    workPosition: readText(raw.work_position),
    avatar: readText(raw.avatar),
    avatarHr: readText(raw.avatar_hr),
    color: readText(raw.color),
    gender: readGender(raw.gender),
    birthday: readBirthday(raw.birthday),
    extranet: readBoolean(raw.extranet) ?? false,
    network: readBoolean(raw.network) ?? false,
    bot: readBoolean(raw.bot) ?? false,
    connector: readBoolean(raw.connector) ?? false,
    externalAuthId: readText(raw.external_auth_id),
    status: readText(raw.status),
    idleSince: readDate(raw.idle),
    lastActivityAt: readDate(raw.last_activity_date),
    desktopLastSeenAt: readDate(raw.desktop_last_date),
    mobileLastSeenAt: readDate(raw.mobile_last_date),
    departmentIds: readIds(raw.departments),
    absentUntil: readDate(raw.absent),
    phones: {
      work: readText(phones.work_phone),
      mobile: readText(phones.personal_mobile),
      personal: readText(phones.personal_phone),
    },
  };
}

/**
 * The users of one `im.user.list.get` answer, by id as asked. PHP may send the map as a list (ids
 * 0..n-1) or `[]`; an id the answer lacks is absent from the map, which is not the same as `null`.
 */
export function readUserList(raw: unknown): Map<string, unknown> {
  if (!isRecord(raw) && !Array.isArray(raw)) throw unexpected('with a result that is no map');
  const users = new Map<string, unknown>();
  for (const [key, value] of Object.entries(phpMap(raw))) {
    const id = readId(key);
    if (id !== null) users.set(id, value);
  }
  return users;
}
