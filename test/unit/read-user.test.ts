import { describe, expect, it } from '@jest/globals';
import { readUser, readUserList } from '../../src/bitrix/read-user.js';
import { normaliseUserId } from '../../src/bitrix/user-loader.js';

/** The answer of the REST docs' page (`im-user-list-get.md`), as a 2026 portal sends it. */
const DOCS_USER = {
  id: 5,
  name: 'Евгений Шеленков',
  first_name: 'Евгений',
  last_name: 'Шеленков',
  work_position: '',
  color: '#df532d',
  avatar: 'http://192.168.2.232/upload/resize_cache/main/1d3/100_100_2/shelenkov.png',
  gender: 'M',
  birthday: '',
  extranet: false,
  network: false,
  bot: false,
  connector: false,
  external_auth_id: 'default',
  status: 'online',
  idle: false,
  last_activity_date: '2018-01-29T17:35:31+03:00',
  desktop_last_date: false,
  mobile_last_date: false,
  departments: [50],
  absent: false,
  phones: { work_phone: '', personal_mobile: '', personal_phone: '' },
};

describe('readUser', () => {
  it('reads the documented answer: false dates and empty texts as null', () => {
    expect(readUser(DOCS_USER)).toEqual({
      id: '5',
      name: 'Евгений Шеленков',
      firstName: 'Евгений',
      lastName: 'Шеленков',
      workPosition: null,
      avatar: DOCS_USER.avatar,
      avatarHr: null,
      color: '#df532d',
      gender: 'M',
      birthday: null,
      extranet: false,
      network: false,
      bot: false,
      connector: false,
      externalAuthId: 'default',
      status: 'online',
      idleSince: null,
      lastActivityAt: '2018-01-29T17:35:31+03:00',
      desktopLastSeenAt: null,
      mobileLastSeenAt: null,
      departmentIds: ['50'],
      absentUntil: null,
      phones: { work: null, mobile: null, personal: null },
    });
  });

  it('tolerates strings for ids and flags, an empty avatar, odd birthdays and missing phones', () => {
    const user = readUser({
      id: '7',
      name: '',
      first_name: 'Marta',
      avatar: '',
      bot: 'Y',
      birthday: '1990-01-01',
      departments: ['3', 0, 'x'],
      phones: [],
    });
    expect(user).toMatchObject({
      id: '7',
      name: 'Marta',
      avatar: null,
      bot: true,
      birthday: null,
      departmentIds: ['3'],
      phones: { work: null, mobile: null, personal: null },
    });
  });

  it('reads null as no user the caller may see, and refuses a user without an id', () => {
    expect(readUser(null)).toBeNull();
    expect(() => readUser({ name: 'no id' })).toThrow(/without an id/);
  });

  it('reads the answer map keyed by id, also when PHP sent it as a list', () => {
    expect([...readUserList({ '4': null, '5': DOCS_USER }).keys()]).toEqual(['4', '5']);
    expect([...readUserList([null, DOCS_USER]).keys()]).toEqual(['1']);
  });
});

describe('normaliseUserId', () => {
  it.each([
    ['256', '256'],
    [' 0256 ', '256'],
  ])('takes %j as %j', (raw, id) => {
    expect(normaliseUserId(raw)).toBe(id);
  });
  it.each([[''], ['0'], ['abc'], ['$result[d0][owner]'], ['1&ID[]=2'], ['12345678901234567890']])(
    'refuses %j without a call',
    (raw) => {
      expect(normaliseUserId(raw)).toBeInstanceOf(Error);
    },
  );
});
