import type { DialogPageQuery } from './gql/graphql.js';

/** One item of a page: a dialog, the typed reason it could not be given, or null (no answer). */
export type DialogItem = NonNullable<DialogPageQuery['dialogs']>[number];
export type DialogCard = Extract<NonNullable<DialogItem>, { __typename: 'Dialog' }>;

/** Anything shown with a picture: a chat, its owner, a private dialog's other person. */
export interface AvatarSource {
  readonly title: string;
  readonly avatar?: string | null | undefined;
  /** The placeholder's colour when there is no picture (a chat's `color`). */
  readonly color?: string | null | undefined;
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const initials = (title: string): string =>
  title
    .split(/\s+/)
    .filter((word) => /^\p{L}/u.test(word))
    .slice(0, 2)
    .map((word) => word[0]!.toUpperCase())
    .join('') || title.slice(0, 1);

/** The picture, or a circle in the chat's colour with its initials (Bitrix24's own placeholder). */
export function renderAvatar(source: AvatarSource): HTMLElement {
  const avatar = element('span', 'avatar', initials(source.title));
  avatar.style.backgroundColor = source.color || '#a8adb4';
  if (source.avatar) {
    const picture = element('img', 'avatar-picture');
    picture.alt = '';
    picture.src = source.avatar;
    // A picture that does not load leaves the placeholder showing.
    picture.addEventListener('error', () => picture.remove());
    avatar.append(picture);
  }
  return avatar;
}

const TYPE_NAMES: Partial<Record<DialogCard['type'], string>> = {
  PRIVATE: 'private',
  CHAT: 'group chat',
  OPEN: 'open chat',
  GENERAL: 'general chat',
  SONET_GROUP: 'workgroup',
  CRM: 'CRM',
  CALL: 'call',
  VIDEOCONF: 'video conference',
};

function dialogFacts(dialog: DialogCard): string {
  const facts = [TYPE_NAMES[dialog.type] ?? dialog.type.toLowerCase().replaceAll('_', ' ')];
  if (dialog.memberCount != null) facts.push(`${dialog.memberCount} members`);
  if (dialog.dateCreate) facts.push(`since ${dialog.dateCreate.slice(0, 10)}`);
  return facts.join(' · ');
}

/** Who owns a chat: their small picture and name, read in the dialogs' own upstream call. */
function renderOwner(owner: NonNullable<DialogCard['owner']>): HTMLElement {
  const line = element('span', 'owner');
  const avatar = renderAvatar({ title: owner.name, avatar: owner.avatar, color: owner.color });
  avatar.classList.add('small');
  line.append(avatar, element('span', 'owner-name', `owner: ${owner.name}`));
  return line;
}

/** A dialog's card: a button, since choosing it opens its detail. */
export function renderDialog(dialog: DialogCard): HTMLElement {
  const card = element('button', 'card dialog');
  card.type = 'button';
  card.dataset.id = dialog.id;
  const text = element('span', 'text');
  text.append(
    element('span', 'title', dialog.title),
    element('span', 'facts', dialogFacts(dialog)),
  );
  if (dialog.owner && dialog.type !== 'PRIVATE') text.append(renderOwner(dialog.owner));
  // A private dialog looks like its other person: their picture, and their name as its title.
  const person = dialog.counterpart;
  const picture = person
    ? renderAvatar({
        title: person.name,
        avatar: person.avatar,
        color: person.color ?? dialog.color,
      })
    : renderAvatar(dialog);
  card.append(picture, text, element('code', 'id', dialog.id));
  if (dialog.unreadCount) card.append(element('span', 'badge', String(dialog.unreadCount)));
  return card;
}

/** Any item of a page; `asked` is the id as the page asked for it (errors have no dialog to name). */
export function renderItem(item: DialogItem, asked: string): HTMLElement {
  switch (item?.__typename) {
    case 'Dialog':
      return renderDialog(item);
    case 'AccessError':
      return notice(asked, `No access to ${item.dialogId}`, item.code);
    case 'DialogIdEmptyError':
      return notice(asked, `“${asked}” is not a dialog id`, item.code);
    default:
      return notice(asked, 'Not available right now', 'UNAVAILABLE');
  }
}

function notice(asked: string, title: string, code: string): HTMLElement {
  const card = element('div', 'card notice');
  card.dataset.asked = asked;
  const text = element('span', 'text');
  text.append(element('span', 'title', title), element('span', 'facts', code));
  card.append(renderAvatar({ title: '!', avatar: null, color: '#e5533d' }), text);
  return card;
}

/** The detail panel of one dialog. */
export function renderDetail(dialog: DialogCard): HTMLElement {
  const panel = element('section', 'detail');
  panel.dataset.id = dialog.id;
  panel.append(
    renderAvatar(dialog),
    element('h2', 'title', dialog.title),
    element('p', 'facts', dialogFacts(dialog)),
    element('p', 'facts', `Unread: ${dialog.unreadCount ?? 'unknown'}`),
    element('code', 'id', dialog.id),
  );
  return panel;
}
