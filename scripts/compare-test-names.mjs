#!/usr/bin/env node
// Compares the tests of two jest runs (`jest --json` output, e.g. test/artifacts/jest-results.json of
// a run before a change and of a run after it): every test before must still exist after, in any file.
//
//   node scripts/compare-test-names.mjs BEFORE.json AFTER.json [RENAMES.json]
//
// RENAMES.json, optional, accounts for tests renamed or merged into another (a table row, say): a
// list of `{ "from": "<regex on the old full name>", "to": "<the new full name, $1… from the regex>",
// "why": "…" }`. A renamed test counts as kept only if its new name exists after. Prints the counts,
// the tests that moved to another file, the renamed ones, the new ones and the missing ones; exits 1
// if any test before is missing after.
import { readFileSync } from 'node:fs';

const [beforePath, afterPath, renamesPath] = process.argv.slice(2);
if (!beforePath || !afterPath) {
  console.error('usage: node scripts/compare-test-names.mjs BEFORE.json AFTER.json [RENAMES.json]');
  process.exit(2);
}

/** The run's tests: full name and file (from `test/` on, so that two checkouts compare). */
function testsOf(path) {
  const run = JSON.parse(readFileSync(path, 'utf8'));
  return run.testResults.flatMap((file) => {
    const at = file.name.lastIndexOf('/test/');
    const name = at === -1 ? file.name : file.name.slice(at + 1);
    return file.assertionResults.map((test) => ({
      fullName: test.fullName,
      file: name,
      status: test.status,
    }));
  });
}

const before = testsOf(beforePath);
const after = testsOf(afterPath);
const renames = renamesPath
  ? JSON.parse(readFileSync(renamesPath, 'utf8')).map((rule) => ({
      ...rule,
      from: new RegExp(rule.from),
    }))
  : [];

/** Full name → the files it is in (a multiset: it.each rows may share a name). */
const index = (tests) => {
  const byName = new Map();
  for (const test of tests)
    byName.set(test.fullName, [...(byName.get(test.fullName) ?? []), test.file]);
  return byName;
};
const afterByName = index(after);
const unclaimed = new Map([...afterByName].map(([name, files]) => [name, [...files]]));
const claim = (name) => {
  const files = unclaimed.get(name);
  if (!files || files.length === 0) return undefined;
  return files.shift();
};

const moved = [];
const renamed = [];
const missing = [];
let kept = 0;
for (const test of before) {
  const file = claim(test.fullName);
  if (file !== undefined) {
    kept++;
    if (file !== test.file) moved.push({ ...test, to: file });
    continue;
  }
  const rule = renames.find((candidate) => candidate.from.test(test.fullName));
  const target = rule ? test.fullName.replace(rule.from, rule.to) : undefined;
  // A rename may point at a test that existed before too (a table row that already checked it).
  const targetFile =
    target !== undefined ? (claim(target) ?? afterByName.get(target)?.[0]) : undefined;
  if (target !== undefined && targetFile !== undefined)
    renamed.push({ ...test, to: target, toFile: targetFile, why: rule.why });
  else missing.push({ ...test, ...(target !== undefined ? { expected: target } : {}) });
}
const added = [...unclaimed].flatMap(([name, files]) =>
  files.map((file) => ({ fullName: name, file })),
);

console.log(
  `before: ${before.length} tests in ${new Set(before.map((test) => test.file)).size} files`,
);
console.log(
  `after:  ${after.length} tests in ${new Set(after.map((test) => test.file)).size} files`,
);
console.log(`kept under the same name: ${kept} (${moved.length} of them in another file)`);
console.log(`renamed or merged: ${renamed.length}`);
console.log(`new: ${added.length}`);
console.log(`missing: ${missing.length}`);
const movedFiles = new Map();
for (const test of moved)
  movedFiles.set(
    `${test.file} → ${test.to}`,
    (movedFiles.get(`${test.file} → ${test.to}`) ?? 0) + 1,
  );
if (movedFiles.size > 0)
  console.log(
    `\nmoved:\n${[...movedFiles].map(([route, count]) => `  ${count} ${route}`).join('\n')}`,
  );
if (renamed.length > 0)
  console.log(
    `\nrenamed or merged:\n${renamed.map((test) => `  ${test.file}: ${test.fullName}\n    → ${test.toFile}: ${test.to}${test.why ? ` (${test.why})` : ''}`).join('\n')}`,
  );
if (added.length > 0)
  console.log(`\nnew:\n${added.map((test) => `  ${test.file}: ${test.fullName}`).join('\n')}`);
if (missing.length > 0)
  console.log(
    `\nMISSING:\n${missing.map((test) => `  ${test.file}: ${test.fullName}${test.expected ? `\n    (expected as: ${test.expected})` : ''}`).join('\n')}`,
  );
process.exit(missing.length > 0 ? 1 : 0);
