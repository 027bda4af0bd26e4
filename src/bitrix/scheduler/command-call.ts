import {
  encodeCommand,
  MAX_BATCH_COMMANDS,
  readBatchOutcomes,
  type CommandOutcome,
  type Params,
} from '../batch.js';
import type { Credentials } from '../credentials.js';
import { isRecord, phpMap, type SuccessEnvelope } from '../envelope.js';
import { DialogLookupError } from '../errors.js';
import { readUserList } from '../read-user.js';
import type { AttemptOptions } from '../transport.js';
import {
  DIALOG_METHOD,
  DialogAnswer,
  lookupKey,
  USER_METHOD,
  type DialogLookupRequest,
} from './lookup.js';

/** What sends one call: the transport, or a stand-in in unit tests. */
export interface CallSender {
  send(
    credentials: Credentials,
    method: string,
    params: Readonly<Record<string, unknown>>,
    attempt?: AttemptOptions,
  ): Promise<SuccessEnvelope>;
}

export interface CommandCallResult {
  /** Each lookup key's outcome (`lookupKey`): its result, or its typed error. */
  readonly outcomes: Map<string, CommandOutcome>;
  /** The method-time blocks the answer carried for `im.dialog.get` (never a batch's own). */
  readonly times: readonly unknown[];
  /** The same for `im.user.list.get`, which the portal budgets apart. */
  readonly userTimes: readonly unknown[];
}

/** The commands of one call and what each one is for. */
interface CallPlan {
  readonly commands: Array<[key: string, command: string]>;
  /** Dialog lookup key → its command key. */
  readonly dialogKeys: Map<string, string>;
  /** Keys of the `im.user.list.get` commands (asked ids and references). */
  readonly userCommandKeys: string[];
  /** The command of the users asked by id, if any. */
  readonly askedUsersKey: string | undefined;
}

/** `ID[0]=…&ID[1]=…`: a list the portal's `parse_str` reads as one, as many as there are. */
function idList(values: readonly string[]): Params {
  return Object.fromEntries(values.map((value, index) => [`ID[${index}]`, value]));
}

/**
 * Lays out one call's commands: each dialog (`dN`), then the users asked by id in one command
 * (`u`), then the people planned by reference to the dialogs' commands: every owner in one command
 * (`o`, `ID[]=$result[dN][owner]`), each dialog's managers in one of their own
 * (`mN`, `ID=$result[dN][manager_list]`, a whole reference that becomes the list). References must
 * come after the command they name. The call never holds more than 50 commands: plans that do not
 * fit are left out, and those people are asked in a later call by id.
 */
function planCall(requests: readonly DialogLookupRequest[]): CallPlan {
  const dialogs = new Map<string, { id: string; owner: boolean; managers: boolean }>();
  const users = new Set<string>();
  for (const request of requests) {
    if (request.method === USER_METHOD) {
      users.add(request.dialogId);
      continue;
    }
    const key = lookupKey(request);
    const entry = dialogs.get(key) ?? { id: request.dialogId, owner: false, managers: false };
    entry.owner ||= request.people?.owner === true;
    entry.managers ||= request.people?.managers === true;
    dialogs.set(key, entry);
  }
  const commands: Array<[string, string]> = [];
  const dialogKeys = new Map<string, string>();
  for (const [key, { id }] of dialogs) {
    const commandKey = `d${dialogKeys.size}`;
    dialogKeys.set(key, commandKey);
    commands.push([commandKey, encodeCommand(DIALOG_METHOD, { DIALOG_ID: id })]);
  }
  const userCommandKeys: string[] = [];
  let askedUsersKey: string | undefined;
  if (users.size > 0) {
    askedUsersKey = 'u';
    userCommandKeys.push('u');
    commands.push(['u', encodeCommand(USER_METHOD, idList([...users]))]);
  }
  const planned = [...dialogs.entries()].map(([key, entry]) => ({
    ...entry,
    commandKey: dialogKeys.get(key)!,
  }));
  const owners = planned.filter((entry) => entry.owner);
  if (owners.length > 0 && commands.length < MAX_BATCH_COMMANDS) {
    userCommandKeys.push('o');
    const references = owners.map((entry) => `$result[${entry.commandKey}][owner]`);
    commands.push(['o', encodeCommand(USER_METHOD, idList(references))]);
  }
  for (const entry of planned.filter((candidate) => candidate.managers)) {
    if (commands.length >= MAX_BATCH_COMMANDS) break;
    const commandKey = `m${entry.commandKey.slice(1)}`;
    userCommandKeys.push(commandKey);
    commands.push([
      commandKey,
      encodeCommand(USER_METHOD, { ID: `$result[${entry.commandKey}][manager_list]` }),
    ]);
  }
  return { commands, dialogKeys, userCommandKeys, askedUsersKey };
}

/** The time blocks of a batch's commands (`result_time`) by command key, where portals report method time. */
function commandTimes(batchResult: unknown): Record<string, unknown> {
  return isRecord(batchResult) ? phpMap(batchResult.result_time) : {};
}

/** Every user a successful `im.user.list.get` command of this call answered, by id. */
function peopleOf(
  outcomes: ReadonlyMap<string, CommandOutcome>,
  keys: readonly string[],
): Map<string, unknown> {
  const people = new Map<string, unknown>();
  for (const key of keys) {
    const outcome = outcomes.get(key);
    if (!outcome?.ok) continue;
    try {
      for (const [id, user] of readUserList(outcome.result)) people.set(id, user);
    } catch {
      // A planned command that found nothing usable (a reference to a failed dialog, a field an
      // old portal lacks): those people are asked again by id.
    }
  }
  return people;
}

/** The users asked by id, or the command's failure (also when its answer cannot be read). */
function askedUsers(outcome: CommandOutcome): Map<string, unknown> | CommandOutcome {
  if (!outcome.ok) return outcome;
  try {
    return readUserList(outcome.result);
  } catch (error) {
    return { ok: false, error: error as Error };
  }
}

/**
 * One call for up to 50 distinct lookups of one caller: a plain `im.dialog.get` for one dialog, a
 * plain `im.user.list.get` for users alone, a `batch` with `halt: 0` for anything more (one failing
 * command never hides the others). A documented error of a single call is that lookup's outcome;
 * any other failure of the call throws. The batch's own `time` block always says `operating: 0`
 * and is never read; each command's block in `result_time` is, per method.
 */
export async function callForCommands(
  sender: CallSender,
  credentials: Credentials,
  requests: readonly DialogLookupRequest[],
  attempt: AttemptOptions,
): Promise<CommandCallResult> {
  const plan = planCall(requests);
  const [first] = plan.commands;
  const single = plan.commands.length === 1 ? first : undefined;
  if (single && plan.dialogKeys.size === 1) {
    const [key] = plan.dialogKeys.keys();
    const id = key!.slice(DIALOG_METHOD.length + 1);
    try {
      const envelope = await sender.send(credentials, DIALOG_METHOD, { DIALOG_ID: id }, attempt);
      return {
        outcomes: new Map([[key!, { ok: true, result: envelope.result }]]),
        times: [envelope.time],
        userTimes: [],
      };
    } catch (error) {
      if (!(error instanceof DialogLookupError)) throw error;
      return { outcomes: new Map([[key!, { ok: false, error }]]), times: [], userTimes: [] };
    }
  }
  if (single && plan.askedUsersKey !== undefined) {
    const ids = requests.map((request) => request.dialogId);
    const envelope = await sender.send(
      credentials,
      USER_METHOD,
      { ID: [...new Set(ids)] },
      attempt,
    );
    const users = readUserList(envelope.result);
    return {
      outcomes: new Map(
        ids.map((id) => [
          lookupKey({ ...requests[0]!, method: USER_METHOD, dialogId: id }),
          { ok: true, result: users.get(id) ?? null },
        ]),
      ),
      times: [],
      userTimes: [envelope.time],
    };
  }
  const envelope = await sender.send(
    credentials,
    'batch',
    { halt: 0, cmd: Object.fromEntries(plan.commands) },
    attempt,
  );
  const byKey = readBatchOutcomes(
    envelope.result,
    plan.commands.map(([key]) => key),
  );
  const people = peopleOf(byKey, plan.userCommandKeys);
  const outcomes = new Map<string, CommandOutcome>();
  for (const [key, commandKey] of plan.dialogKeys) {
    const outcome = byKey.get(commandKey)!;
    outcomes.set(
      key,
      outcome.ok && people.size > 0
        ? { ok: true, result: new DialogAnswer(outcome.result, people) }
        : outcome,
    );
  }
  const asked =
    plan.askedUsersKey === undefined ? undefined : askedUsers(byKey.get(plan.askedUsersKey)!);
  for (const request of requests) {
    if (request.method !== USER_METHOD || asked === undefined) continue;
    outcomes.set(
      lookupKey(request),
      asked instanceof Map ? { ok: true, result: asked.get(request.dialogId) ?? null } : asked,
    );
  }
  const times = commandTimes(envelope.result);
  return {
    outcomes,
    times: [...plan.dialogKeys.values()].flatMap((key) => (key in times ? [times[key]] : [])),
    userTimes: plan.userCommandKeys.flatMap((key) => (key in times ? [times[key]] : [])),
  };
}
