import qs from 'qs';
import type { FixtureChat, FixtureUser, Fixtures } from './fixtures.js';
import { renderDialog, renderUser, type Generation } from './render.js';

/** An error the portal answers with: the envelope `{error, error_description}` and its HTTP status. */
export class PortalError extends Error {
  constructor(
    readonly code: string,
    readonly description: string,
    readonly status: number,
  ) {
    super(`${code}: ${description}`);
  }
}

export interface Caller {
  readonly user: FixtureUser;
  readonly scopes: readonly string[];
  /**
   * Whose method-time budget the call spends: the webhook (its user and secret) or the OAuth app.
   * Never logged or answered: for a webhook it holds the secret.
   */
  readonly account: string;
  /**
   * Whose budget the call's `batch` commands spend: a batch's sub-calls carry only the app's client
   * id (`CRestServerBatchItem::setApplicationId`), so an app's are its own and every webhook's
   * commands share one budget (`webhook:`, no password id) for the whole portal.
   */
  readonly batchAccount: string;
}

/** What `batch` asks of the emulator's method-time budget around each command. */
export interface CommandHooks {
  /** Throws the PortalError that refuses the command before it runs (OPERATION_TIME_LIMIT), if any. */
  beforeRun(method: string): void;
  /** Records a successful run and returns its `result_time` block. */
  afterRun(method: string, result: unknown, startedAt: number): unknown;
}

/** One command of a batch as the portal understood it (for the request log). */
export interface ReceivedCommand {
  readonly key: string;
  readonly raw: string;
  readonly method: string;
  readonly params: Record<string, unknown>;
}

export interface BatchRun {
  readonly result: Record<string, unknown>;
  readonly commands: ReceivedCommand[];
}

export const MAX_BATCH_COMMANDS = 50;

/** The app this emulator's OAuth tokens belong to when a fixture names none. */
export const DEFAULT_APP_ID = 'local.demo0app0000001';

const NO_AUTH = () => new PortalError('NO_AUTH_FOUND', 'Wrong authorization data', 401);
/** No active webhook has that user and secret (the portal does not say which part is wrong). */
const INVALID_CREDENTIALS = () =>
  new PortalError('INVALID_CREDENTIALS', 'Invalid request credentials', 401);

/**
 * The DIALOG_ID grammar of the portal's code (`Bitrix\Im\Common::isDialogId`): case-insensitive;
 * `0` is no id at all (PHP's falsy "0").
 */
const DIALOG_ID_GRAMMAR = /^([0-9]+|(chat|sg|crm)[0-9]+)$/i;

/** PHP's json_encode of an array: `[]` when empty, a list when keys are 0..n-1, else an object. */
export function phpArray(entries: ReadonlyArray<readonly [string, unknown]>): unknown {
  if (entries.length === 0) return [];
  if (entries.every(([key], index) => key === String(index)))
    return entries.map(([, value]) => value);
  return Object.fromEntries(entries);
}

/** PHP's truthiness of a request parameter, as `batch` reads `halt`. */
function phpTruthy(value: unknown): boolean {
  return !(
    value === undefined ||
    value === null ||
    value === false ||
    value === 0 ||
    value === '' ||
    value === '0'
  );
}

/** Bitrix24 REST methods upper-case their parameter names, so `dialog_id` works as DIALOG_ID. */
function upperKeys(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(params).map(([key, value]) => [key.toUpperCase(), value]),
  );
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Resolves `$result[key][field]`-style references in a decoded batch command, as the portal's
 * `CRestUtil::ParseBatchQuery` does after `parse_str`: in every value (and key), `$` followed by the
 * name of a map filled so far (`result`, `error`, `time`…, in any case) and `[…]` steps. A value that
 * is one whole reference becomes the referenced value itself (even an object); a reference inside a
 * longer value is replaced when it names a string or a number, and left alone otherwise. References
 * are read in the decoded text, so URL-encoding does not stop them: `%24result[…]` arrives as
 * `$result[…]`. Only refusing such values before sending them does.
 */
function resolveReferences(
  value: unknown,
  answered: Readonly<Record<string, Record<string, unknown>>>,
): unknown {
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        resolveReferences(key, answered),
        resolveReferences(item, answered),
      ]),
    );
  }
  if (typeof value !== 'string') return value;
  const reference = new RegExp(
    `\\$(${Object.keys(answered).map(escapeRegExp).join('|')})([^\\s]*)`,
    'gi',
  );
  let resolved = value;
  for (const match of value.matchAll(reference)) {
    const steps = [...match[2]!.matchAll(/\[([^\]]+)\]/g)].map((step) => step[1]!);
    if (steps.length === 0) continue;
    // PHP reads `$arResult[<name as written>]`, so `$RESULT[…]` matches but finds nothing.
    let target: unknown = Object.hasOwn(answered, match[1]!) ? answered[match[1]!] : undefined;
    for (const step of steps) {
      const next =
        typeof target === 'object' && target !== null
          ? (target as Record<string, unknown>)[step]
          : undefined;
      if (next === undefined || next === null) break;
      target = next;
    }
    if (match[0] === value) return target;
    if (typeof target === 'number') target = String(target);
    if (typeof target === 'string') resolved = resolved.split(match[0]).join(target);
  }
  return resolved;
}

/**
 * Every auth-layer refusal is an OAuth exception, answered 401 (docs/bitrix24-api.md, "Errors and
 * HTTP statuses").
 */
function requireImScope(caller: Caller): void {
  if (!caller.scopes.includes('im')) {
    throw new PortalError(
      'insufficient_scope',
      'The request requires higher privileges than provided by the access token',
      401,
    );
  }
}

const INVALID_FORMAT = () =>
  new PortalError('INVALID_FORMAT', 'A wrong format for the ID field is passed', 400);

/**
 * The `ID` list of `im.user.list.get` as the portal reads it: a list (or a PHP map) of ids, or a
 * string holding a JSON list (`CUtil::JsObjectToPhp`); anything else, an empty list or an item
 * that is not a scalar is INVALID_FORMAT. Items are read as PHP's `intval` would.
 */
function userIdList(raw: unknown): number[] {
  let list: unknown = raw;
  if (typeof raw === 'string') {
    try {
      list = JSON.parse(raw);
    } catch {
      throw INVALID_FORMAT();
    }
  }
  const items = Array.isArray(list)
    ? list
    : typeof list === 'object' && list !== null
      ? Object.values(list)
      : undefined;
  if (items === undefined || items.length === 0) throw INVALID_FORMAT();
  return items.map((item) => {
    if (typeof item === 'number') return Math.trunc(item);
    if (typeof item === 'string') return Number.parseInt(item, 10) || 0;
    throw INVALID_FORMAT();
  });
}

/** The colour of a private chat, from its id (the portal's `Color::getCodeByNumber`). */
const CHAT_COLORS = ['#df532d', '#4ba984', '#1eb4aa', '#f76187', '#8474c8', '#e3b800', '#2e67b1'];

function atomNow(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, '+00:00');
}

/**
 * The state and rules of an emulated portal, without HTTP: who is who, who may read what, and the
 * two methods the server uses (`im.dialog.get`, `batch`) plus `server.time` for readiness probes.
 */
export class EmulatedPortal {
  private readonly users: ReadonlyMap<number, FixtureUser>;
  private readonly chats: ReadonlyMap<number, FixtureChat>;
  private readonly chatsBySonetGroup: ReadonlyMap<number, FixtureChat>;
  private readonly privateChats = new Map<string, FixtureChat>();
  private nextPrivateChatId = 900001;

  constructor(
    private readonly fixtures: Fixtures,
    readonly generation: Generation,
  ) {
    this.users = new Map(fixtures.users.map((user) => [user.id, user]));
    this.chats = new Map(fixtures.chats.map((chat) => [chat.id, chat]));
    // A workgroup's chat and a collab's chat both carry their group as entity SONET_GROUP.
    this.chatsBySonetGroup = new Map(
      fixtures.chats
        .filter((chat) => chat.entityType === 'SONET_GROUP' && chat.entityId)
        .map((chat) => [Number(chat.entityId), chat]),
    );
  }

  /**
   * A webhook call. The portal looks for an active webhook of that user with that secret, so an
   * unknown user, a wrong secret and a revoked webhook all answer INVALID_CREDENTIALS (401).
   */
  authenticateWebhook(userId: string, secret: string): Caller {
    const hook = this.fixtures.webhooks.find(
      (candidate) =>
        String(candidate.userId) === userId &&
        candidate.secret === secret &&
        candidate.revoked !== true,
    );
    const user = hook && this.users.get(hook.userId);
    if (!hook || !user) throw INVALID_CREDENTIALS();
    // The emulator is reached over http:// only: a portal's auth layer refuses that with 401.
    if (hook.httpsOnly) throw new PortalError('INVALID_REQUEST', 'Https required.', 401);
    return {
      user,
      scopes: hook.scopes,
      account: `webhook:${hook.userId}:${hook.secret}`,
      batchAccount: 'webhook:',
    };
  }

  authenticateToken(token: string | undefined): Caller {
    if (token === undefined || token === '') throw NO_AUTH();
    const grant = this.fixtures.tokens.find((candidate) => candidate.token === token);
    if (!grant) throw new PortalError('invalid_token', 'The access token provided is invalid', 401);
    if (grant.expired)
      throw new PortalError('expired_token', 'The access token provided has expired', 401);
    const user = this.users.get(grant.userId);
    if (!user) throw new PortalError('invalid_token', 'The access token provided is invalid', 401);
    const account = `app:${grant.appId ?? DEFAULT_APP_ID}`;
    return { user, scopes: grant.scopes, account, batchAccount: account };
  }

  /** Rendered answers that hold a chat with `badEncoding`. */
  private readonly unencodable = new WeakSet<object>();

  /** Runs one method (not `batch`) and returns its `result`. */
  runMethod(caller: Caller, method: string, params: Record<string, unknown>): unknown {
    switch (method) {
      case 'server.time':
        return atomNow();
      case 'im.dialog.get':
        requireImScope(caller);
        return this.dialogGet(caller, upperKeys(params));
      case 'im.user.list.get':
        requireImScope(caller);
        return this.userListGet(caller, upperKeys(params));
      default:
        throw new PortalError('ERROR_METHOD_NOT_FOUND', 'Method not found!', 404);
    }
  }

  /**
   * `batch`: runs up to 50 commands in order (the rest answer ERROR_BATCH_LENGTH_EXCEEDED). Each
   * command is checked against its own method's time budget and refused on its own
   * (OPERATION_TIME_LIMIT in `result_error`; the batch itself still answers). Each command's query
   * is decoded first and `$result[…]` references are resolved in the decoded values, as on the
   * portal; every map is encoded the PHP way.
   */
  runBatch(caller: Caller, params: Record<string, unknown>, hooks: CommandHooks): BatchRun {
    const halt = phpTruthy(params.halt);
    const cmd = params.cmd;
    const entries: Array<[string, unknown]> = Array.isArray(cmd)
      ? cmd.map((value, index) => [String(index), value])
      : typeof cmd === 'object' && cmd !== null
        ? Object.entries(cmd)
        : [];
    const results: Array<[string, unknown]> = [];
    const errors: Array<[string, unknown]> = [];
    const times: Array<[string, unknown]> = [];
    const commands: ReceivedCommand[] = [];
    // What `$result[…]`, `$error[…]`, `$time[…]` may refer to: the portal's maps as they stand so far.
    const answered: Record<string, Record<string, unknown>> = {};
    const remember = (map: string, key: string, value: unknown) => {
      const values = answered[map] ?? {};
      answered[map] = values;
      values[key] = value;
    };
    for (const [index, [key, value]] of entries.entries()) {
      if (index >= MAX_BATCH_COMMANDS) {
        errors.push([
          key,
          { error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: 'Max batch length exceeded' },
        ]);
        continue;
      }
      const raw = typeof value === 'string' ? value : '';
      const separator = raw.indexOf('?');
      const method = (separator === -1 ? raw : raw.slice(0, separator))
        .toLowerCase()
        .replace(/\.json$/, '');
      const decoded = qs.parse(separator === -1 ? '' : raw.slice(separator + 1), {
        depth: 5,
        arrayLimit: 100,
      });
      const commandParams = resolveReferences(decoded, answered) as Record<string, unknown>;
      commands.push({ key, raw, method, params: commandParams });
      try {
        if (method === 'batch') {
          throw new PortalError(
            'ERROR_BATCH_METHOD_NOT_ALLOWED',
            'Method is not allowed for batch usage',
            405,
          );
        }
        hooks.beforeRun(method);
        const startedAt = Date.now() / 1000;
        const result = this.runMethod(caller, method, commandParams);
        const time = hooks.afterRun(method, result, startedAt);
        results.push([key, result]);
        times.push([key, time]);
        remember('result', key, result);
        remember('time', key, time);
      } catch (error) {
        if (!(error instanceof PortalError)) throw error;
        const failure = { error: error.code, error_description: error.description };
        errors.push([key, failure]);
        remember('error', key, failure);
        remember('error_description', key, error.description);
        if (halt) break;
      }
    }
    return {
      commands,
      result: {
        result: phpArray(results),
        result_error: phpArray(errors),
        result_total: [],
        result_next: [],
        result_time: phpArray(times),
      },
    };
  }

  private dialogGet(caller: Caller, params: Record<string, unknown>): unknown {
    const raw = params.DIALOG_ID;
    const dialogId = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : '';
    if (dialogId === '0' || !DIALOG_ID_GRAMMAR.test(dialogId)) {
      throw new PortalError('DIALOG_ID_EMPTY', "Dialog ID can't be empty", 400);
    }
    const chat = this.findChat(caller, dialogId);
    if (chat === undefined || !this.mayRead(caller.user, chat)) {
      throw new PortalError('ACCESS_ERROR', 'You do not have access to the specified dialog', 403);
    }
    if (chat.coreError) throw new PortalError('ERROR_CORE', 'SQL query error!', 500);
    const rendered = renderDialog(this.generation, chat, caller, this.users, dialogId);
    if (chat.badEncoding && typeof rendered === 'object' && rendered !== null)
      this.unencodable.add(rendered);
    return rendered;
  }

  /**
   * Whether an answer holds a chat whose stored text is not valid UTF-8 (`badEncoding`): the
   * portal's `Json::encode` then fails and the WHOLE answer becomes `WRONG_ENCODING` (HTTP 200,
   * `CRestServer::outputJson`), a batch of any size included.
   */
  cannotEncode(result: unknown): boolean {
    if (typeof result !== 'object' || result === null) return false;
    if (this.unencodable.has(result)) return true;
    return Object.values(result).some((value) => this.cannotEncode(value));
  }

  /**
   * The chat a well-formed DIALOG_ID names, if any. `crmNNN` passes the grammar but names no chat
   * (the portal only resolves `crm|TYPE|ID`), so it ends in ACCESS_ERROR like a chat that does not exist.
   */
  private findChat(caller: Caller, dialogId: string): FixtureChat | undefined {
    const chatMatch = /^chat(\d+)$/i.exec(dialogId);
    if (chatMatch) return this.chats.get(Number(chatMatch[1]));
    const groupMatch = /^sg(\d+)$/i.exec(dialogId);
    if (groupMatch) return this.chatsBySonetGroup.get(Number(groupMatch[1]));
    if (/^\d+$/.test(dialogId) && Number(dialogId) > 0)
      return this.privateChat(caller.user, Number(dialogId));
    return undefined;
  }

  /**
   * The private chat between the caller and another user, created on first use as on a portal. Its
   * row is what a 2026 portal keeps: no name (the UI shows the other person's), the user who started
   * it as its owner, and a colour from the chat id; both sides get the same row.
   */
  private privateChat(me: FixtureUser, otherId: number): FixtureChat | undefined {
    const other = this.users.get(otherId);
    if (!other) return undefined;
    const pairKey = [me.id, other.id].sort((a, b) => a - b).join(':');
    let chat = this.privateChats.get(pairKey);
    if (!chat) {
      const id = this.nextPrivateChatId++;
      chat = {
        id,
        name: '',
        type: 'private',
        messageType: 'P',
        owner: me.id,
        members: me.id === other.id ? [me.id] : [me.id, other.id],
        color: CHAT_COLORS[id % CHAT_COLORS.length]!,
        dateCreate: atomNow(),
        messageCount: 3,
      };
      this.privateChats.set(pairKey, chat);
    }
    return chat;
  }

  /**
   * `im.user.list.get`: each id asked → that user, or null when there is none the caller may see;
   * without `ID`, the caller. Keyed by id, encoded the PHP way.
   */
  private userListGet(caller: Caller, params: Record<string, unknown>): unknown {
    const ids = params.ID === undefined ? [caller.user.id] : userIdList(params.ID);
    return phpArray(
      ids.map((id) => {
        const user = this.users.get(id);
        return [String(id), user && this.maySee(caller.user, user) ? renderUser(user) : null];
      }),
    );
  }

  /**
   * Whom a user may see: intranet users see each other; an extranet user and whoever looks at one
   * (either way round) must share a workgroup (a chat of entity SONET_GROUP), as on a portal where
   * extranet users live in the workgroups they were invited to.
   */
  private maySee(me: FixtureUser, user: FixtureUser): boolean {
    if (me.id === user.id || (!me.extranet && !user.extranet)) return true;
    return this.fixtures.chats.some(
      (chat) =>
        chat.entityType === 'SONET_GROUP' &&
        chat.members.includes(me.id) &&
        chat.members.includes(user.id),
    );
  }

  private mayRead(user: FixtureUser, chat: FixtureChat): boolean {
    return chat.members.includes(user.id) || (chat.openToAll === true && !user.extranet);
  }
}
