/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment DialogCardFields on Dialog {\n    id\n    title\n    avatar\n    color\n    type\n    memberCount\n    unreadCount\n    dateCreate\n    owner { id name avatar color }\n    counterpart { id name avatar color }\n  }\n": typeof types.DialogCardFieldsFragmentDoc,
    "\n  query DialogPage($ids: [ID!]!) {\n    dialogs(ids: $ids) {\n      __typename\n      ...DialogCardFields\n      ... on Error { code message }\n      ... on AccessError { dialogId }\n    }\n  }\n": typeof types.DialogPageDocument,
    "\n  query DialogDetail($id: ID!) {\n    dialog(id: $id) {\n      __typename\n      ...DialogCardFields\n      ... on Error { code message }\n    }\n  }\n": typeof types.DialogDetailDocument,
    "fragment DialogCore on Dialog {\n  id\n  chatId\n  title\n  ownerId\n  extranet\n  avatar\n  color\n  type\n  typeRaw\n  messageType\n  messageTypeRaw\n  entityType\n  entityId\n  entityData1\n  entityData2\n  entityData3\n  dateCreate\n}\n\nfragment DialogModern on Dialog {\n  description\n  parentChatId\n  parentMessageId\n  role\n  memberCount\n  messageCount\n  unreadCount\n  firstUnreadMessageId\n  lastMessageId\n  lastReadMessageId\n  markedMessageId\n  managerIds\n  mutedByMe\n  entityLink {\n    type\n    url\n    id\n  }\n  restrictions {\n    canChangeAvatar\n    canRename\n    canExtend\n    canCall\n    canMute\n    canLeave\n    canOwnerLeave\n    canSend\n    canSeeMembers\n    path\n    pathTitle\n  }\n  permissions {\n    addMembers\n    removeMembers\n    changeAppearance\n    changeSettings\n    manageMessages\n    postMessages\n  }\n  readBy {\n    userId\n    userName\n    lastReadMessageId\n    readAt\n  }\n  lastMessageViews {\n    messageId\n    firstViewers {\n      userId\n      userName\n      viewedAt\n    }\n    viewerCount\n  }\n  textFieldEnabled\n  isNew\n  backgroundId\n  diskFolderId\n  publicLink {\n    code\n    link\n  }\n}\n\nfragment DialogErrors on DialogResult {\n  ... on Error {\n    code\n    message\n  }\n  ... on AccessError {\n    dialogId\n  }\n}\n\nquery DialogById($id: ID!) {\n  dialog(id: $id) {\n    __typename\n    ...DialogCore\n    ...DialogModern\n    ...DialogErrors\n  }\n}\n\nquery DialogsByIds($ids: [ID!]!) {\n  dialogs(ids: $ids) {\n    __typename\n    ...DialogCore\n    ...DialogErrors\n  }\n}\n\nquery DialogTitles($ids: [ID!]!) {\n  dialogs(ids: $ids) {\n    __typename\n    ... on Dialog {\n      id\n      title\n    }\n    ...DialogErrors\n  }\n}": typeof types.DialogCoreFragmentDoc,
};
const documents: Documents = {
    "\n  fragment DialogCardFields on Dialog {\n    id\n    title\n    avatar\n    color\n    type\n    memberCount\n    unreadCount\n    dateCreate\n    owner { id name avatar color }\n    counterpart { id name avatar color }\n  }\n": types.DialogCardFieldsFragmentDoc,
    "\n  query DialogPage($ids: [ID!]!) {\n    dialogs(ids: $ids) {\n      __typename\n      ...DialogCardFields\n      ... on Error { code message }\n      ... on AccessError { dialogId }\n    }\n  }\n": types.DialogPageDocument,
    "\n  query DialogDetail($id: ID!) {\n    dialog(id: $id) {\n      __typename\n      ...DialogCardFields\n      ... on Error { code message }\n    }\n  }\n": types.DialogDetailDocument,
    "fragment DialogCore on Dialog {\n  id\n  chatId\n  title\n  ownerId\n  extranet\n  avatar\n  color\n  type\n  typeRaw\n  messageType\n  messageTypeRaw\n  entityType\n  entityId\n  entityData1\n  entityData2\n  entityData3\n  dateCreate\n}\n\nfragment DialogModern on Dialog {\n  description\n  parentChatId\n  parentMessageId\n  role\n  memberCount\n  messageCount\n  unreadCount\n  firstUnreadMessageId\n  lastMessageId\n  lastReadMessageId\n  markedMessageId\n  managerIds\n  mutedByMe\n  entityLink {\n    type\n    url\n    id\n  }\n  restrictions {\n    canChangeAvatar\n    canRename\n    canExtend\n    canCall\n    canMute\n    canLeave\n    canOwnerLeave\n    canSend\n    canSeeMembers\n    path\n    pathTitle\n  }\n  permissions {\n    addMembers\n    removeMembers\n    changeAppearance\n    changeSettings\n    manageMessages\n    postMessages\n  }\n  readBy {\n    userId\n    userName\n    lastReadMessageId\n    readAt\n  }\n  lastMessageViews {\n    messageId\n    firstViewers {\n      userId\n      userName\n      viewedAt\n    }\n    viewerCount\n  }\n  textFieldEnabled\n  isNew\n  backgroundId\n  diskFolderId\n  publicLink {\n    code\n    link\n  }\n}\n\nfragment DialogErrors on DialogResult {\n  ... on Error {\n    code\n    message\n  }\n  ... on AccessError {\n    dialogId\n  }\n}\n\nquery DialogById($id: ID!) {\n  dialog(id: $id) {\n    __typename\n    ...DialogCore\n    ...DialogModern\n    ...DialogErrors\n  }\n}\n\nquery DialogsByIds($ids: [ID!]!) {\n  dialogs(ids: $ids) {\n    __typename\n    ...DialogCore\n    ...DialogErrors\n  }\n}\n\nquery DialogTitles($ids: [ID!]!) {\n  dialogs(ids: $ids) {\n    __typename\n    ... on Dialog {\n      id\n      title\n    }\n    ...DialogErrors\n  }\n}": types.DialogCoreFragmentDoc,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DialogCardFields on Dialog {\n    id\n    title\n    avatar\n    color\n    type\n    memberCount\n    unreadCount\n    dateCreate\n    owner { id name avatar color }\n    counterpart { id name avatar color }\n  }\n"): (typeof documents)["\n  fragment DialogCardFields on Dialog {\n    id\n    title\n    avatar\n    color\n    type\n    memberCount\n    unreadCount\n    dateCreate\n    owner { id name avatar color }\n    counterpart { id name avatar color }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DialogPage($ids: [ID!]!) {\n    dialogs(ids: $ids) {\n      __typename\n      ...DialogCardFields\n      ... on Error { code message }\n      ... on AccessError { dialogId }\n    }\n  }\n"): (typeof documents)["\n  query DialogPage($ids: [ID!]!) {\n    dialogs(ids: $ids) {\n      __typename\n      ...DialogCardFields\n      ... on Error { code message }\n      ... on AccessError { dialogId }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DialogDetail($id: ID!) {\n    dialog(id: $id) {\n      __typename\n      ...DialogCardFields\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  query DialogDetail($id: ID!) {\n    dialog(id: $id) {\n      __typename\n      ...DialogCardFields\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment DialogCore on Dialog {\n  id\n  chatId\n  title\n  ownerId\n  extranet\n  avatar\n  color\n  type\n  typeRaw\n  messageType\n  messageTypeRaw\n  entityType\n  entityId\n  entityData1\n  entityData2\n  entityData3\n  dateCreate\n}\n\nfragment DialogModern on Dialog {\n  description\n  parentChatId\n  parentMessageId\n  role\n  memberCount\n  messageCount\n  unreadCount\n  firstUnreadMessageId\n  lastMessageId\n  lastReadMessageId\n  markedMessageId\n  managerIds\n  mutedByMe\n  entityLink {\n    type\n    url\n    id\n  }\n  restrictions {\n    canChangeAvatar\n    canRename\n    canExtend\n    canCall\n    canMute\n    canLeave\n    canOwnerLeave\n    canSend\n    canSeeMembers\n    path\n    pathTitle\n  }\n  permissions {\n    addMembers\n    removeMembers\n    changeAppearance\n    changeSettings\n    manageMessages\n    postMessages\n  }\n  readBy {\n    userId\n    userName\n    lastReadMessageId\n    readAt\n  }\n  lastMessageViews {\n    messageId\n    firstViewers {\n      userId\n      userName\n      viewedAt\n    }\n    viewerCount\n  }\n  textFieldEnabled\n  isNew\n  backgroundId\n  diskFolderId\n  publicLink {\n    code\n    link\n  }\n}\n\nfragment DialogErrors on DialogResult {\n  ... on Error {\n    code\n    message\n  }\n  ... on AccessError {\n    dialogId\n  }\n}\n\nquery DialogById($id: ID!) {\n  dialog(id: $id) {\n    __typename\n    ...DialogCore\n    ...DialogModern\n    ...DialogErrors\n  }\n}\n\nquery DialogsByIds($ids: [ID!]!) {\n  dialogs(ids: $ids) {\n    __typename\n    ...DialogCore\n    ...DialogErrors\n  }\n}\n\nquery DialogTitles($ids: [ID!]!) {\n  dialogs(ids: $ids) {\n    __typename\n    ... on Dialog {\n      id\n      title\n    }\n    ...DialogErrors\n  }\n}"): (typeof documents)["fragment DialogCore on Dialog {\n  id\n  chatId\n  title\n  ownerId\n  extranet\n  avatar\n  color\n  type\n  typeRaw\n  messageType\n  messageTypeRaw\n  entityType\n  entityId\n  entityData1\n  entityData2\n  entityData3\n  dateCreate\n}\n\nfragment DialogModern on Dialog {\n  description\n  parentChatId\n  parentMessageId\n  role\n  memberCount\n  messageCount\n  unreadCount\n  firstUnreadMessageId\n  lastMessageId\n  lastReadMessageId\n  markedMessageId\n  managerIds\n  mutedByMe\n  entityLink {\n    type\n    url\n    id\n  }\n  restrictions {\n    canChangeAvatar\n    canRename\n    canExtend\n    canCall\n    canMute\n    canLeave\n    canOwnerLeave\n    canSend\n    canSeeMembers\n    path\n    pathTitle\n  }\n  permissions {\n    addMembers\n    removeMembers\n    changeAppearance\n    changeSettings\n    manageMessages\n    postMessages\n  }\n  readBy {\n    userId\n    userName\n    lastReadMessageId\n    readAt\n  }\n  lastMessageViews {\n    messageId\n    firstViewers {\n      userId\n      userName\n      viewedAt\n    }\n    viewerCount\n  }\n  textFieldEnabled\n  isNew\n  backgroundId\n  diskFolderId\n  publicLink {\n    code\n    link\n  }\n}\n\nfragment DialogErrors on DialogResult {\n  ... on Error {\n    code\n    message\n  }\n  ... on AccessError {\n    dialogId\n  }\n}\n\nquery DialogById($id: ID!) {\n  dialog(id: $id) {\n    __typename\n    ...DialogCore\n    ...DialogModern\n    ...DialogErrors\n  }\n}\n\nquery DialogsByIds($ids: [ID!]!) {\n  dialogs(ids: $ids) {\n    __typename\n    ...DialogCore\n    ...DialogErrors\n  }\n}\n\nquery DialogTitles($ids: [ID!]!) {\n  dialogs(ids: $ids) {\n    __typename\n    ... on Dialog {\n      id\n      title\n    }\n    ...DialogErrors\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;