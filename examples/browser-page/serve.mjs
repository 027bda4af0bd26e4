/**
 * `npm run example:page`: bundles src/main.ts with esbuild (in memory, a fraction of a second) and
 * serves the page, passing /graphql on to the API server the way a frontend's dev server proxies it
 * (so the page and its API share an origin: no CORS settings needed).
 *
 * GRAPHQL_URL  the API (default http://localhost:4000/graphql)
 * PAGE_PORT    the page's port (default 5173; 0 picks a free one), on 127.0.0.1
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const graphqlUrl = process.env.GRAPHQL_URL ?? 'http://localhost:4000/graphql';
const port = Number(process.env.PAGE_PORT ?? 5173);

const bundle = await build({
  entryPoints: [here('./src/main.ts')],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  write: false,
  minify: true,
  // urql's development warnings stay on, as in any dev server: the page should print none.
  define: { 'process.env.NODE_ENV': '"development"' },
  logLevel: 'warning',
});

const FILES = {
  '/': { path: './index.html', type: 'text/html; charset=utf-8' },
  '/page.css': { path: './page.css', type: 'text/css; charset=utf-8' },
};
const APP = bundle.outputFiles[0].contents;
/** The headers a GraphQL request needs on its way to the API; cookies and the rest stay here. */
const FORWARDED = ['content-type', 'accept', 'authorization'];

async function passToApi(request, response) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  const headers = Object.fromEntries(
    FORWARDED.filter((name) => request.headers[name]).map((name) => [name, request.headers[name]]),
  );
  try {
    const answer = await fetch(graphqlUrl, {
      method: request.method,
      headers,
      ...(request.method === 'POST' ? { body: Buffer.concat(chunks) } : {}),
    });
    response.writeHead(answer.status, {
      'content-type': answer.headers.get('content-type') ?? 'application/json',
    });
    response.end(Buffer.from(await answer.arrayBuffer()));
  } catch (error) {
    response.writeHead(502, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ errors: [{ message: `${graphqlUrl}: ${error.message}` }] }));
  }
}

const server = createServer(async (request, response) => {
  const { pathname } = new URL(request.url ?? '/', 'http://page');
  if (pathname === '/graphql') return passToApi(request, response);
  if (pathname === '/app.js') {
    response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
    return response.end(APP);
  }
  const file = FILES[pathname];
  if (!file) {
    response.writeHead(404, { 'content-type': 'text/plain' });
    return response.end('Not found');
  }
  response.writeHead(200, { 'content-type': file.type });
  response.end(await readFile(here(file.path)));
});

server.listen(port, '127.0.0.1', () => {
  console.log(`Dialogs page: http://127.0.0.1:${server.address().port}/ (API: ${graphqlUrl})`);
});
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => server.close(() => process.exit(0)));
