import { graphql } from './gql/index.js';

/** What a dialog header in a web app shows. Every field is typed from the server's schema. */
export const DialogCardQuery = graphql(`
  query DialogCard($id: ID!) {
    dialog(id: $id) {
      __typename
      ... on Dialog {
        id
        title
        type
        color
        avatar
        memberCount
        unreadCount
        dateCreate
        role
      }
      ... on AccessError {
        dialogId
        message
      }
      ... on DialogIdEmptyError {
        message
      }
    }
  }
`);

/** A sidebar page: many dialogs in one request (one or a few Bitrix24 batch calls). */
export const DialogListQuery = graphql(`
  query DialogList($ids: [ID!]!) {
    dialogs(ids: $ids) {
      __typename
      ... on Dialog {
        id
        title
        type
        unreadCount
      }
      ... on Error {
        code
        message
      }
    }
  }
`);
