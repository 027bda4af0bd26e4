/**
 * A page of dialogs: codegen's typed documents (documents.ts), sent by urql with its normalised
 * cache configured from the server's published schema (cache.ts), rendered without a framework
 * (render.ts). `npm run example:page` bundles it with esbuild and serves it (serve.mjs).
 */
import { Client, fetchExchange } from '@urql/core';
import { dialogCache } from './cache.js';
import { DialogDetailQuery, DialogPageQuery } from './documents.js';
import { type DialogCard, renderDetail, renderItem } from './render.js';

/** The demo portal's dialogs: chats of several kinds, one the demo user may not read, one bad id. */
const DEFAULT_IDS = [
  'chat21191',
  'sg103',
  '256',
  'chat1',
  'chat1439',
  'chat52',
  'chat666',
  'nonsense',
];

// `?ids=chat1,SG103` shows other dialogs; the page's own server passes /graphql on to the API.
const ids = new URLSearchParams(location.search).get('ids')?.split(',') ?? DEFAULT_IDS;
const client = new Client({
  url: '/graphql',
  preferGetMethod: false,
  exchanges: [dialogCache(), fetchExchange],
});

const list = document.querySelector<HTMLElement>('#dialogs')!;
const detail = document.querySelector<HTMLElement>('#detail')!;
const status = document.querySelector<HTMLElement>('#status')!;

async function showDetail(id: string): Promise<void> {
  // Read from the cache: the list has already loaded this dialog under its canonical id.
  const { data } = await client.query(DialogDetailQuery, { id }).toPromise();
  const dialog = data?.dialog;
  detail.replaceChildren(...(dialog?.__typename === 'Dialog' ? [renderDetail(dialog)] : []));
}

async function showPage(): Promise<void> {
  const { data, error } = await client.query(DialogPageQuery, { ids }).toPromise();
  if (error || !data) {
    status.textContent = `The dialogs could not be loaded: ${error?.message ?? 'no answer'}`;
    return;
  }
  const items = data.dialogs ?? [];
  list.replaceChildren(...items.map((item, index) => renderItem(item, ids[index] ?? '')));
  status.textContent = `${items.filter((item) => item?.__typename === 'Dialog').length} dialogs`;
  const first = items.find((item): item is DialogCard => item?.__typename === 'Dialog');
  if (first) await showDetail(first.id);
  document.body.dataset.ready = 'true';
}

list.addEventListener('click', (event) => {
  const card = (event.target as Element).closest<HTMLElement>('.card.dialog');
  if (card?.dataset.id) void showDetail(card.dataset.id);
});

void showPage();
