# The server as a container image: built with the dev dependencies (TypeScript), run with the
# production dependencies and dist/ only, as a non-root user, node as PID 1 so SIGTERM reaches it.
#
#   docker build -t bitrix24-dialog-graphql .
#   docker run --rm -p 4000:4000 -e BITRIX24_WEBHOOK_URL=https://acme.bitrix24.com/rest/1/xxxx/ bitrix24-dialog-graphql
#
# No container engine runs where the tests do: test/deploy/container-recipe.test.ts (`npm run
# test:deploy`) reads this file and performs its steps in a fresh clone (every RUN, COPY, ENV, then
# the CMD and the HEALTHCHECK), so keep to the instructions it knows: FROM, WORKDIR, ENV, COPY, RUN,
# USER, EXPOSE, HEALTHCHECK, CMD.

# Node 26, the active LTS line, pinned to an exact release so that a rebuild gets the Node it was
# tested on (the deploy tier runs the recipe on that line); move it on purpose, with the lock file.
# For byte-for-byte rebuilds pin the digest too: node:26.10.0-alpine@sha256:….
FROM node:26.10.0-alpine AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts/copy-graphiql-assets.mjs ./scripts/
# Compiles to dist/ and copies GraphiQL's prebuilt bundle into dist/graphiql-assets/ (its package is
# a dev dependency: the prune below drops it and its 250 MB of build-time dependencies).
RUN npm run build
RUN npm prune --omit=dev --no-audit --no-fund

FROM node:26.10.0-alpine
# Production defaults: GraphiQL and introspection off unless GRAPHIQL/INTROSPECTION say otherwise.
ENV NODE_ENV=production
WORKDIR /app
# package.json too: it makes dist/*.js ES modules ("type": "module").
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The unprivileged user of the official Node images.
USER node
EXPOSE 4000
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT ?? 4000}/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself, no npm or shell in between: SIGTERM from `docker stop` starts the graceful shutdown.
# It may take SHUTDOWN_TIMEOUT_MS (10 s); `docker stop` sends SIGKILL after 10 s unless given more
# (`docker stop -t 15`; compose.yaml sets stop_grace_period).
CMD ["node", "dist/main.js"]
