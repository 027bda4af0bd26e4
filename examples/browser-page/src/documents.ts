import { graphql } from './gql/index.js';

/**
 * What a card shows. One fragment for the list and the detail, so that the detail of a dialog the
 * list has loaded is read from the normalised cache, with no request.
 *
 * The people come in the same upstream call as the dialogs (the server reads them by reference):
 * the owner for a chat's header, the other person for a private dialog's picture.
 */
export const DialogCardFields = graphql(`
  fragment DialogCardFields on Dialog {
    id
    title
    avatar
    color
    type
    memberCount
    unreadCount
    dateCreate
    owner { id name avatar color }
    counterpart { id name avatar color }
  }
`);

/** A page of dialogs: each item a dialog or the typed reason it could not be given. */
export const DialogPageQuery = graphql(`
  query DialogPage($ids: [ID!]!) {
    dialogs(ids: $ids) {
      __typename
      ...DialogCardFields
      ... on Error { code message }
      ... on AccessError { dialogId }
    }
  }
`);

/** One dialog: the page reads it from the cache (see cache.ts), by its canonical id. */
export const DialogDetailQuery = graphql(`
  query DialogDetail($id: ID!) {
    dialog(id: $id) {
      __typename
      ...DialogCardFields
      ... on Error { code message }
    }
  }
`);
