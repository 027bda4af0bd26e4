/**
 * A runnable example: `GRAPHQL_URL=http://localhost:4000/graphql node dist-examples/show-dialogs.js`
 * (see the README beside it). Prints a few dialogs of the demo portal.
 */
import { createDialogsClient, describeCard, loadDialogCard, loadDialogList } from './client.js';

const client = createDialogsClient({
  url: process.env.GRAPHQL_URL ?? 'http://localhost:4000/graphql',
  ...(process.env.BITRIX24_ACCESS_TOKEN ? { accessToken: process.env.BITRIX24_ACCESS_TOKEN } : {}),
  persistedOnly: process.env.PERSISTED === '1',
});

console.log(describeCard(await loadDialogCard(client, 'chat21191')));
for (const item of await loadDialogList(client, ['chat1', 'sg103', '256', 'chat666'])) {
  console.log(item?.__typename === 'Dialog' ? `${item.id}: ${item.title}` : `${item?.__typename}: ${item && 'code' in item ? item.code : ''}`);
}
