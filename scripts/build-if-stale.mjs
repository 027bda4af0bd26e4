#!/usr/bin/env node
// @ts-check
/**
 * `npm start` and `npm run emulator` run this before node: it builds dist/ only when something the
 * build reads is newer than the last build, so a second start costs a few file stats, not a compiler.
 *
 * Why not `tsc -b` alone: its own up-to-date check is right but loads the compiler first (about a
 * second of CPU on every start). This check is the cheap filter in front of it; whenever anything is
 * newer, `tsc -b` builds and stays the judge, and the stamp is refreshed so the next start is quick.
 *
 * Plain JavaScript with no dependencies: it must run before anything is compiled.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Written by every build (tsconfig.build.json: incremental), refreshed by `tsc -b` when up to date. */
const STAMP = join(ROOT, 'dist', '.tsbuildinfo');
/** What a start needs; a missing one means dist/ was cleaned by hand. */
const ENTRIES = ['dist/main.js', 'dist/emulator/main.js'];
/** What the build reads: the sources (directories too, so a deleted file counts) and its settings. */
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

/** @param {string} path @returns {number} the newest modification time at or below `path` */
function newestBelow(path) {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestBelow(join(path, entry)));
  return newest;
}

/** @returns {string | undefined} why a build is needed, or undefined when dist/ is up to date */
function staleness() {
  let built;
  try {
    built = statSync(STAMP).mtimeMs;
  } catch {
    return 'no build yet';
  }
  const missing = ENTRIES.find((entry) => {
    try {
      statSync(join(ROOT, entry));
      return false;
    } catch {
      return true;
    }
  });
  if (missing !== undefined) return `${missing} is missing`;
  const changed = INPUTS.find((input) => newestBelow(join(ROOT, input)) > built);
  return changed === undefined ? undefined : `${changed} changed since the last build`;
}

const reason = staleness();
if (reason !== undefined) {
  console.error(`building dist/ (${reason})…`);
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  // A missing output is invisible to tsc's own up-to-date check: force a whole build then.
  const force = reason.endsWith('is missing') ? ['--force'] : [];
  const build = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.build.json', ...force], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (build.status !== 0) {
    console.error('the build failed; see the compiler messages above');
    process.exit(build.status ?? 1);
  }

  // tsc leaves its stamp alone when nothing it compiles changed (package.json's scripts, say): mark
  // this build as done, or every later start would take this path again (inputs dated in the
  // future, as an archive can leave them, included).
  const done = new Date(
    Math.ceil(Math.max(Date.now(), ...INPUTS.map((input) => newestBelow(join(ROOT, input))))),
  );
  utimesSync(STAMP, done, done);
}

// The rest of `npm run build`: GraphiQL's bundle beside the compiled code, after a build or when
// it is missing (a few stats otherwise).
const COPY_ASSETS = join(ROOT, 'scripts', 'copy-graphiql-assets.mjs');
if (
  existsSync(COPY_ASSETS) &&
  (reason !== undefined || !existsSync(join(ROOT, 'dist', 'graphiql-assets', 'NOTICE')))
) {
  const assets = spawnSync(process.execPath, [COPY_ASSETS], { cwd: ROOT, stdio: 'inherit' });
  if (assets.status !== 0) process.exit(assets.status ?? 1);
}
