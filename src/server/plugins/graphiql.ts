import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderGraphiQL, type GraphiQLOptions, type Plugin } from 'graphql-yoga';

/**
 * GraphiQL with its assets served by this server rather than from unpkg.com, so it works on
 * machines without internet access and under a strict Content-Security-Policy. The assets are the
 * prebuilt bundle of `@graphql-yoga/graphiql`, the same build yoga's own page loads from the CDN,
 * copied into dist/graphiql-assets/ by the build (scripts/copy-graphiql-assets.mjs): the package is
 * a dev dependency, so production installs carry the bundle and not its build-time dependencies.
 */

export const GRAPHIQL_ASSETS_PATH = '/graphiql-assets/';

const ASSETS: Readonly<Record<string, string>> = {
  'graphiql.css': 'text/css; charset=utf-8',
  'yoga-graphiql.umd.js': 'text/javascript; charset=utf-8',
  'monacoeditorwork/editor.worker.bundle.js': 'text/javascript; charset=utf-8',
  'monacoeditorwork/json.worker.bundle.js': 'text/javascript; charset=utf-8',
  'monacoeditorwork/graphql.worker..bundle.js': 'text/javascript; charset=utf-8',
};

const CDN_DIST = /https:\/\/unpkg\.com\/@graphql-yoga\/graphiql@[^/]+\/dist\//g;
const CDN_FAVICON = /<link rel=icon href=https:\/\/raw\.githubusercontent\.com\/[^>]*>/;

/**
 * Where the bundle is: the build's copy beside the compiled code (dist/graphiql-assets/), or, when
 * running from the sources (tests), the dev dependency itself; undefined when neither is there.
 */
function assetsDirectory(): string | undefined {
  const built = fileURLToPath(new URL('../../graphiql-assets/', import.meta.url));
  if (existsSync(join(built, 'yoga-graphiql.umd.js'))) return built;
  try {
    return join(
      dirname(createRequire(import.meta.url).resolve('@graphql-yoga/graphiql/package.json')),
      'dist',
    );
  } catch {
    return undefined;
  }
}

/**
 * The example every new GraphiQL tab opens with: exactly the query of the README's "A query and its
 * answer" (a test holds the two, and the answer printed there, together). Its lines are short
 * (about 40 columns) so that GraphiQL's editor shows them whole beside the
 * response pane on a laptop screen: it cuts longer lines off rather than wrapping them.
 */
export const EXAMPLE_QUERY = `# Dialogs of a Bitrix24 portal and
# their people, batched into as few
# REST calls as possible.
# Press the run button (or Ctrl+Enter).
query DialogExample {
  dialog(id: "chat21191") {
    __typename
    ... on Dialog {
      id title type color
      memberCount dateCreate
      owner { name workPosition avatar }
    }
    ... on Error { code message }
  }
  dialogs(ids: [
    "sg103", "256", "chat666", "nonsense"
  ]) {
    __typename
    ... on Dialog {
      id title type role
      counterpart { name avatar }
    }
    ... on AccessError { dialogId }
    ... on Error { code message }
  }
}
`;

/** yoga's GraphiQL options, plus `query`, which its page passes through to GraphiQL. */
export type LocalGraphiQLOptions = GraphiQLOptions & { readonly query?: string };

export interface GraphiQLSetup {
  readonly graphiql: GraphiQLOptions;
  readonly render: (options: GraphiQLOptions) => string;
  readonly plugin: Plugin;
}

/** GraphiQL options, its page renderer and the plugin serving its assets (when installed). */
export function localGraphiQL(options: LocalGraphiQLOptions): GraphiQLSetup {
  const directory = assetsDirectory();
  const cache = new Map<string, Uint8Array<ArrayBuffer>>();
  return {
    graphiql: options,
    render: (renderOptions) => {
      // yoga fills in only the first of its two title placeholders.
      const page = renderGraphiQL(renderOptions).replace('Loading __TITLE__', 'Loading GraphiQL');
      return directory === undefined
        ? page
        : page.replace(CDN_DIST, GRAPHIQL_ASSETS_PATH).replace(CDN_FAVICON, '');
    },
    plugin: {
      onRequest({ url, endResponse, fetchAPI }) {
        if (directory === undefined || !url.pathname.startsWith(GRAPHIQL_ASSETS_PATH)) return;
        const name = url.pathname.slice(GRAPHIQL_ASSETS_PATH.length);
        const type = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
        if (type === undefined) {
          endResponse(new fetchAPI.Response('Not found', { status: 404 }));
          return;
        }
        let body = cache.get(name);
        if (body === undefined) {
          body = new Uint8Array(readFileSync(join(directory, name)));
          cache.set(name, body);
        }
        endResponse(
          new fetchAPI.Response(body, {
            headers: { 'content-type': type, 'cache-control': 'public, max-age=86400' },
          }),
        );
      },
    },
  };
}
