/**
 * The runnable example: `npm run example:client` (from the repository root) builds this folder and
 * runs this file against a running server (see the README beside it). Prints a few dialogs of the
 * demo portal, each a dialog or the typed reason it could not be had.
 *
 * GRAPHQL_URL            the server's endpoint (default http://localhost:4000/graphql)
 * BITRIX24_ACCESS_TOKEN  a user's token, for a server in OAuth mode
 * PERSISTED=1            send only operation hashes (the server runs with PERSISTED_OPERATIONS)
 */
import {
  adviceFor,
  createDialogsClient,
  describeCard,
  loadDialogCard,
  loadDialogList,
} from './client.js';

const url = process.env.GRAPHQL_URL ?? 'http://localhost:4000/graphql';
const client = createDialogsClient({
  url,
  ...(process.env.BITRIX24_ACCESS_TOKEN ? { accessToken: process.env.BITRIX24_ACCESS_TOKEN } : {}),
  persistedOnly: process.env.PERSISTED === '1',
});

try {
  console.log(describeCard(await loadDialogCard(client, 'chat21191')));
  for (const item of await loadDialogList(client, ['chat1', 'sg103', '256', 'chat666'])) {
    console.log(
      item?.__typename === 'Dialog'
        ? `${item.id}: ${item.title}`
        : `${item?.__typename}: ${item && 'code' in item ? item.code : ''}`,
    );
  }
} catch (error) {
  // What went wrong, and what to do about it when we can tell (no server, persisted-only mode…).
  console.error(`${url}: ${error instanceof Error ? error.message : String(error)}`);
  const advice = adviceFor(error);
  if (advice) console.error(advice);
  process.exitCode = 1;
}
