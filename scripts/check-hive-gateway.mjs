#!/usr/bin/env node
/**
 * `npm run check:hive-gateway`: one trace across Hive Gateway and this subgraph, checked for real,
 * as docs/operations.md ("Behind Hive Gateway") says to run it. Opt-in and not part of `npm test`:
 * it installs the gateway (about 300 MB, from the npm registry) into a temporary folder, outside
 * this project's dependencies.
 *
 * On loopback: the emulator, the built server (`npm run build` first) with OTEL_EXPORTER_OTLP_ENDPOINT,
 * a collector of our own, and `hive-gateway supergraph … --opentelemetry <collector>/v1/traces` over
 * a supergraph composed from schema/subgraph.graphql. One query through the gateway with a caller's
 * `traceparent`; then the check: the gateway's and this server's spans share the caller's trace,
 * and this server's SERVER span hangs under a span the gateway exported (so the gateway sent
 * `traceparent` on). Exit 0 when it holds, 1 when not; the span tree is printed either way.
 *
 * HIVE_GATEWAY_VERSION picks the gateway (default: the one the docs were checked with);
 * HIVE_GATEWAY_DIR reuses an installed one.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const VERSION = process.env.HIVE_GATEWAY_VERSION ?? '2.15.1';
const root = fileURLToPath(new URL('..', import.meta.url));
const children = [];
const cleanups = [];

function fail(message) {
  console.error(`check-hive-gateway: ${message}`);
  process.exitCode = 1;
}

/** Starts `command` and resolves once a line of its output matches `ready`. */
function start(name, command, args, env, ready) {
  const child = spawn(command, args, { env: { PATH: process.env.PATH, ...env }, cwd: root });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${output}`)), 60_000);
    const read = (chunk) => {
      output += chunk;
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}:\n${output}`)));
  });
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A collector of OTLP/HTTP JSON on loopback: keeps every span with its service's name. */
async function startCollector() {
  const spans = [];
  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/v1/traces' && /json/.test(request.headers['content-type'] ?? '')) {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        for (const resource of body.resourceSpans ?? []) {
          const service = resource.resource?.attributes?.find((a) => a.key === 'service.name')
            ?.value?.stringValue;
          for (const scope of resource.scopeSpans ?? [])
            for (const span of scope.spans ?? []) spans.push({ service, ...span });
        }
      } else console.error(`collector: ${request.method} ${request.url} is not OTLP JSON traces`);
      response.writeHead(request.url === '/v1/traces' ? 200 : 404).end('{}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => server.close());
  return { url: `http://127.0.0.1:${server.address().port}`, spans };
}

/** The gateway's CLI, installed into a temporary folder (or HIVE_GATEWAY_DIR). */
function installGateway() {
  const dir = process.env.HIVE_GATEWAY_DIR ?? mkdtempSync(join(tmpdir(), 'hive-gateway-'));
  const bin = join(dir, 'node_modules/.bin/hive-gateway');
  if (!existsSync(bin)) {
    console.log(`installing @graphql-hive/gateway@${VERSION} into ${dir} …`);
    writeFileSync(join(dir, 'package.json'), '{"private":true}');
    const install = spawnSync(
      'npm',
      ['install', '--no-audit', '--no-fund', `@graphql-hive/gateway@${VERSION}`],
      { cwd: dir, stdio: 'inherit' },
    );
    if (install.status !== 0) throw new Error('npm install of the gateway failed');
    if (!process.env.HIVE_GATEWAY_DIR) cleanups.push(() => rmSync(dir, { recursive: true }));
  }
  return { dir, bin };
}

/** The supergraph, composed by the Guild's composition library (the one the gateway ships). */
async function composeSupergraph(gatewayDir, subgraphUrl) {
  const require = createRequire(join(gatewayDir, 'package.json'));
  const { composeServices } = await import(require.resolve('@theguild/federation-composition'));
  const { parse } = await import(require.resolve('graphql'));
  const sdl = readFileSync(join(root, 'schema/subgraph.graphql'), 'utf8');
  const result = composeServices([{ name: 'dialogs', typeDefs: parse(sdl), url: subgraphUrl }]);
  if (result.errors?.length) throw new Error(result.errors.map(String).join('\n'));
  const file = join(gatewayDir, 'supergraph.graphql');
  writeFileSync(file, result.supergraphSdl);
  return file;
}

function printTree(spans) {
  const ids = new Set(spans.map((span) => span.spanId));
  const walk = (span, depth) => {
    console.log(`  ${'  '.repeat(depth)}[${span.service}] ${span.name}`);
    for (const child of spans.filter((other) => other.parentSpanId === span.spanId))
      walk(child, depth + 1);
  };
  for (const top of spans.filter((span) => !span.parentSpanId || !ids.has(span.parentSpanId)))
    walk(top, 0);
}

async function main() {
  if (!existsSync(join(root, 'dist/main.js'))) throw new Error('run `npm run build` first');
  const { dir, bin } = installGateway();
  const collector = await startCollector();
  const [emulatorPort, serverPort, gatewayPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  await start(
    'emulator',
    process.execPath,
    ['dist/emulator/main.js'],
    { EMULATOR_PORT: String(emulatorPort) },
    /webhook:/,
  );
  await start(
    'server',
    process.execPath,
    ['dist/main.js'],
    {
      HOST: '127.0.0.1',
      PORT: String(serverPort),
      BITRIX24_WEBHOOK_URL: `http://127.0.0.1:${emulatorPort}/rest/1/demo0webhook0secret/`,
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_SERVICE_NAME: 'dialogs',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    },
    /serving GraphQL/,
  );
  const supergraph = await composeSupergraph(dir, `http://127.0.0.1:${serverPort}/graphql`);
  await start(
    'gateway',
    process.execPath,
    [bin, 'supergraph', supergraph, '--opentelemetry', `${collector.url}/v1/traces`],
    { HOST: '127.0.0.1', PORT: String(gatewayPort), OTEL_SERVICE_NAME: 'gateway' },
    /Listening on|Serving|running on/i,
  );

  const traceId = randomBytes(16).toString('hex');
  const response = await fetch(`http://127.0.0.1:${gatewayPort}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
    },
    body: JSON.stringify({
      query: 'query DialogTitle { dialog(id: "chat21191") { ... on Dialog { title } } }',
    }),
  });
  console.log(`gateway answered ${response.status}: ${await response.text()}`);

  // Both sides export in batches: wait until this server's upstream call has arrived.
  const inTrace = () => collector.spans.filter((span) => span.traceId === traceId);
  for (let waited = 0; waited < 15_000; waited += 200) {
    const services = new Set(inTrace().map((span) => span.service));
    if (services.has('gateway') && inTrace().some((span) => span.name.startsWith('bitrix24 ')))
      break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const spans = inTrace();
  console.log(`trace ${traceId}: ${spans.length} spans`);
  printTree(spans);
  const server = spans.find((span) => span.service === 'dialogs' && span.kind === 2);
  const parent = server && spans.find((span) => span.spanId === server.parentSpanId);
  if (!spans.some((span) => span.service === 'gateway')) fail('no gateway span in the trace');
  else if (!server) fail("no SERVER span of this server in the caller's trace");
  else if (parent?.service !== 'gateway')
    fail("this server's span does not hang under a span of the gateway");
  else console.log(`ok: ${parent.name} (gateway) -> ${server.name} (dialogs), one trace`);
}

try {
  await main();
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
} finally {
  for (const child of children) child.kill('SIGTERM');
  for (const cleanup of cleanups) cleanup();
}
