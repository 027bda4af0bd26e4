import { fileURLToPath } from 'node:url';
import type { Generation } from '../src/emulator/render.js';
import { BENCH_PORTAL, withShippedServer } from './shipped-server.js';

/*
 * Calls per page of dialogs with their people (issue 22): a chat list of 24 dialogs (20 group chats
 * of the demo data, 4 private dialogs asked by user id) as one GraphQL operation, against the
 * emulator with the real leaky bucket, counting the HTTP calls the portal received beside the ideal.
 */

const GROUP_CHATS = [1, 21191, 1439, ...Array.from({ length: 14 }, (_, i) => 31 + i), 46, 47, 48];
export const PAGE = [...GROUP_CHATS.map((id) => `chat${id}`), '2', '3', '5', '256'];

const PEOPLE = 'owner { name avatar } managers { name avatar } counterpart { name avatar }';
const READERS =
  'readBy { userId user { name avatar } } lastMessageViews { firstViewers { user { name } } }';

interface Scenario {
  readonly name: string;
  readonly generation: Generation;
  readonly query: string;
  /** The fewest calls any client could make: 1 when every person is known or referable up front. */
  readonly ideal: number;
}

const page = (selection: string, extra = '') =>
  `query($ids: [ID!]!) { ${extra} dialogs(ids: $ids) { __typename ... on Dialog { id title ${selection} } } }`;

export const SCENARIOS: readonly Scenario[] = [
  { name: 'titles only', generation: 'modern', query: page(''), ideal: 1 },
  {
    name: 'titles, owners, managers, counterparts',
    generation: 'modern',
    query: page(PEOPLE),
    ideal: 1,
  },
  {
    name: 'the same and `users(ids:)` of 10 people',
    generation: 'modern',
    query: page(
      PEOPLE,
      'users(ids: ["1","2","3","4","5","256","503","700","100001","100002"]) { __typename }',
    ),
    ideal: 1,
  },
  {
    name: 'the same and every reader’s and first viewer’s user',
    generation: 'modern',
    query: page(`${PEOPLE} ${READERS}`),
    // Readers are known only once the dialogs arrive (`readed_list` holds objects, no id list to refer to).
    ideal: 2,
  },
  {
    name: 'titles and every reader’s and first viewer’s user (no other people)',
    generation: 'modern',
    query: page(READERS),
    ideal: 2,
  },
  {
    name: 'titles, owners, managers, counterparts (old portal)',
    generation: 'old',
    query: page(PEOPLE),
    ideal: 1,
  },
];

export interface PeopleRow {
  readonly scenario: Scenario;
  readonly calls: number;
  readonly commands: number;
  readonly ms: number;
}

function measure(scenario: Scenario): Promise<PeopleRow> {
  const portal = { ...BENCH_PORTAL, generation: scenario.generation };
  return withShippedServer({ emulator: portal }, async ({ emulator, post }) => {
    const { body, ms } = await post<{
      data?: { dialogs: Array<{ __typename: string; title: string }> };
      errors?: unknown[];
    }>({ query: scenario.query, variables: { ids: PAGE } });
    const dialogs = body.data?.dialogs ?? [];
    const untitled = dialogs.filter(
      (dialog) => dialog.__typename !== 'Dialog' || dialog.title === '',
    );
    if (body.errors || dialogs.length !== PAGE.length || untitled.length > 0)
      throw new Error(`${scenario.name}: ${JSON.stringify(body.errors ?? untitled)}`);
    return {
      scenario,
      calls: emulator.requests.length,
      commands: emulator.requests.reduce((sum, entry) => sum + (entry.commands?.length ?? 1), 0),
      ms,
    };
  });
}

export async function peopleSection(): Promise<string[]> {
  const rows: PeopleRow[] = [];
  for (const scenario of SCENARIOS) rows.push(await measure(scenario));
  return [
    '## The people of a page of dialogs (issue 22)',
    '',
    `One operation for a chat list of ${PAGE.length} dialogs (20 group chats, 4 private dialogs asked by user id), with the people each row shows; the emulator answers each call after 50 ms behind the real leaky bucket (50, 2/s). Calls = HTTP calls the portal received; commands = batch commands in them. Ideal: 1 call when every person is known up front (user ids, private dialogs’ other person) or can be referred to in the dialogs’ own batch (\`$result[dN][owner]\`, \`$result[dN][manager_list]\`); 2 when the people are known only from the dialogs’ answers (readers, first viewers). Before this work the graph had no people: a UI needed a second backend for every name and avatar.`,
    '',
    '| page | portal | calls | ideal | commands | wall time |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (row) =>
        `| ${row.scenario.name} | ${row.scenario.generation} | ${row.calls} | ${row.scenario.ideal} | ${row.commands} | ${Math.round(row.ms)} ms |`,
    ),
    '',
    'Where readers ride along with owners, managers and counterparts, this demo page needs no second call: every reader was already read by reference as somebody’s owner, manager or other person, and a user read once is not asked again. Readers alone take the second call the ideal allows. Readers of a very large chat (thousands of members) cost ⌈readers ÷ 50⌉ calls: select `readBy { user }` only where it is shown.',
    '',
    `Ideal met in every row: ${rows.every((row) => row.calls <= row.scenario.ideal) ? 'yes' : 'NO'}; never more than 2 calls: ${rows.every((row) => row.calls <= 2) ? 'yes' : 'NO'}. Measured on a machine whose 2 CPUs are shared with other work.`,
    '',
  ];
}

// `node dist-bench/bench/people.js` prints the section alone (seconds, not the whole bench).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log((await peopleSection()).join('\n'));
}
