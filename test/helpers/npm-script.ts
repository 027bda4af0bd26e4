import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * `npm run <script>` as a user (or a supervisor) starts it, with helpers to see the processes it
 * started. Linux only: process trees are read from /proc.
 */

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RECORDER = fileURLToPath(new URL('./record-node-process.cjs', import.meta.url));

export interface NpmScriptOptions {
  /** The repository to run it in (default: this one). */
  readonly cwd?: string;
  /** The environment, on top of PATH and HOME only (so no portal is configured unless given). */
  readonly env?: Record<string, string>;
  /** Called with every output line (stdout and stderr), e.g. to record it for the secret scan. */
  readonly onLine?: (line: string) => void;
}

export interface NpmScript {
  /** The npm process: what a supervisor or a terminal signals. */
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: string[];
  /** Resolves with the first output line that matches, or rejects after `timeoutMs`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with npm's exit code (null when a signal ended it). */
  readonly exited: Promise<number | null>;
  /** The script path (argv[1]) of every node process started under it, npm's own included. */
  nodePrograms(): string[];
  /** Every process below npm now, with its command line. */
  descendants(): ProcessInfo[];
  /** Removes the temporary folder; kills what is left of the tree (a failed test must not leave servers). */
  cleanUp(): void;
}

export interface ProcessInfo {
  readonly pid: number;
  readonly cmdline: string;
}

/** PATH with this test run's node first, so npm and the script run on the runtime under test. */
export function pathWithThisNode(): string {
  return [dirname(process.execPath), process.env.PATH ?? ''].join(delimiter);
}

function processTable(): Array<ProcessInfo & { ppid: number; zombie: boolean }> {
  const table: Array<ProcessInfo & { ppid: number; zombie: boolean }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ")".
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      table.push({ pid: Number(entry), ppid: Number(ppid), cmdline, zombie: state === 'Z' });
    } catch {
      // The process ended while the table was read.
    }
  }
  return table;
}

/** Whether `pid` is a live process (not gone, not a zombie waiting to be reaped). */
export function isAlive(pid: number): boolean {
  return processTable().some((info) => info.pid === pid && !info.zombie);
}

function descendantsOf(root: number): ProcessInfo[] {
  const table = processTable();
  const found: ProcessInfo[] = [];
  const parents = [root];
  while (parents.length > 0) {
    const parent = parents.shift()!;
    for (const info of table) {
      if (info.ppid === parent && !info.zombie) {
        found.push({ pid: info.pid, cmdline: info.cmdline });
        parents.push(info.pid);
      }
    }
  }
  return found;
}

/** Whether nothing listens on 127.0.0.1:`port` (a listen there succeeds). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

export function runNpmScript(args: readonly string[], options: NpmScriptOptions = {}): NpmScript {
  const folder = mkdtempSync(join(tmpdir(), 'npm-script-'));
  const record = join(folder, 'node-programs.txt');
  const child = spawn('npm', [...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: {
      PATH: pathWithThisNode(),
      HOME: process.env.HOME ?? folder,
      // Every node process below npm (npm's own included) appends its script path to `record`.
      NODE_OPTIONS: `--require ${RECORDER}`,
      RECORD_NODE_PROCESSES: record,
      ...options.env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  const onLine = (line: string) => {
    lines.push(line);
    options.onLine?.(line);
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  };
  createInterface({ input: child.stdout }).on('line', onLine);
  createInterface({ input: child.stderr }).on('line', onLine);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const seen = new Map<number, ProcessInfo>();
  const descendants = () => {
    const now = child.pid === undefined ? [] : descendantsOf(child.pid);
    for (const info of now) seen.set(info.pid, info);
    return now;
  };
  return {
    child,
    lines,
    exited,
    waitForLine(pattern, timeoutMs = 30_000) {
      const found = lines.find((line) => pattern.test(line));
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${lines.join('\n')}`),
            ),
          timeoutMs,
        );
        waiters.push({
          pattern,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
      });
    },
    nodePrograms() {
      try {
        return readFileSync(record, 'utf8')
          .split('\n')
          .filter((line) => line !== '');
      } catch {
        return [];
      }
    },
    descendants,
    cleanUp() {
      descendants();
      for (const pid of [...seen.keys(), ...(child.pid === undefined ? [] : [child.pid])]) {
        if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      }
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
