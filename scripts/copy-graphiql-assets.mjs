#!/usr/bin/env node
// @ts-check
/**
 * Part of the build: copies GraphiQL's prebuilt bundle (the files the page loads) from the
 * `@graphql-yoga/graphiql` dev dependency into dist/graphiql-assets/, with its license. The server
 * serves them from there, so production installs (`npm ci --omit=dev`, the container image) carry
 * these ~9 MB instead of the package's 250 MB of build-time dependencies (monaco-editor, react…),
 * which the server never loads.
 *
 * Plain JavaScript with no dependencies: it runs right after the compiler.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TARGET = join(ROOT, 'dist', 'graphiql-assets');
/** The files src/server/plugins/graphiql.ts serves (its ASSETS table), relative to the package's dist/. */
const FILES = [
  'graphiql.css',
  'yoga-graphiql.umd.js',
  'monacoeditorwork/editor.worker.bundle.js',
  'monacoeditorwork/json.worker.bundle.js',
  'monacoeditorwork/graphql.worker..bundle.js',
];

let packageJson;
try {
  packageJson = createRequire(import.meta.url).resolve('@graphql-yoga/graphiql/package.json');
} catch {
  // A production install (no dev dependencies) that builds anyway: keep what an earlier build copied.
  if (existsSync(join(TARGET, FILES[1]))) process.exit(0);
  console.error(
    'copy-graphiql-assets: @graphql-yoga/graphiql is not installed (a dev dependency): run `npm ci` first',
  );
  process.exit(1);
}
const source = dirname(packageJson);
const { version, license } = JSON.parse(readFileSync(packageJson, 'utf8'));
for (const file of FILES) {
  mkdirSync(dirname(join(TARGET, file)), { recursive: true });
  copyFileSync(join(source, 'dist', file), join(TARGET, file));
}
// The license travels with the copy, and a note saying what the copy is.
copyFileSync(join(source, 'LICENSE'), join(TARGET, 'LICENSE'));
writeFileSync(
  join(TARGET, 'NOTICE'),
  `These files are the prebuilt bundle of @graphql-yoga/graphiql ${version} (${license}, see LICENSE),\n` +
    'https://github.com/graphql-hive/graphql-yoga/tree/main/packages/graphiql, copied unchanged\n' +
    'by scripts/copy-graphiql-assets.mjs.\n',
);
