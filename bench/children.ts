import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** A process of the benchmark (emulator, our server, the bare proxy) on a loopback port. */
export interface Child {
  readonly port: number;
  readonly pid: number;
  /** Resident set size in bytes (Linux /proc). */
  rss(): number;
  /** After a full GC in the child (bench server only): RSS and V8 heap in use, in bytes. */
  memoryAfterGc(): Promise<{ rss: number; heapUsed: number }>;
  stop(): Promise<void>;
}

/** Starts `script` (compiled JS) and resolves once it prints `listening PORT` (or `… at http://…:PORT`). */
export function startChild(
  script: string,
  env: Record<string, string>,
  nodeOptions: readonly string[] = [],
): Promise<Child> {
  const child: ChildProcess = spawn(process.execPath, [...nodeOptions, script], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start`)), 15_000);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const port =
        /listening (\d+)/.exec(line)?.[1] ?? /at http:\/\/127\.0\.0\.1:(\d+)/.exec(line)?.[1];
      if (!port) return;
      clearTimeout(timer);
      lines.removeAllListeners('line');
      // Keep draining stdout so the child never blocks on a full pipe.
      child.stdout!.resume();
      resolve({
        port: Number(port),
        pid: child.pid!,
        rss: () =>
          Number(
            /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0,
          ) * 1024,
        memoryAfterGc: () =>
          new Promise((answer) => {
            child.once('message', (message) =>
              answer(message as { rss: number; heapUsed: number }),
            );
            child.send('memory');
          }),
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
