/**
 * Process entry: reads the configuration, starts the demo portal when none is configured, serves,
 * and shuts down gracefully on SIGTERM, SIGINT, SIGHUP, SIGQUIT and SIGUSR2; survives (and counts)
 * unhandled rejections, and drains then exits 1 on an uncaught exception.
 */
import type { AddressInfo } from 'node:net';
import { createDialogServer } from './server/create-server.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { gracefulShutdown } from './server/graceful-shutdown.js';
import type { PortalTarget } from './bitrix/credentials.js';
import type { Emulator } from './emulator/server.js';
import { createLogger } from './logger.js';
import { installProcessSafetyNet } from './process-safety-net.js';

function configOrExit(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) console.error(`Configuration error: ${problem}`);
    process.exit(2);
  }
}

const config = configOrExit();
/** Values no log line may hold: the webhook secret and a Redis password, as written and decoded. */
function secretsOf(config: Config): string[] {
  const webhookSecret =
    config.portal.kind === 'webhook' ? config.portal.webhookUrl.pathname.split('/')[3] : undefined;
  const redisPassword = config.redisUrl ? new URL(config.redisUrl).password : '';
  return [webhookSecret, redisPassword]
    .filter((secret): secret is string => Boolean(secret))
    .flatMap((secret) => [secret, decodeURIComponent(secret)]);
}

const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config) });
const publicHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
const graphqlUrl = `http://${publicHost.includes(':') ? `[${publicHost}]` : publicHost}:${config.port}/graphql`;

let emulator: Emulator | undefined;
let portal: PortalTarget;
if (config.portal.kind === 'demo') {
  const { startEmulator } = await import('./emulator/server.js');
  emulator = await startEmulator({ host: '127.0.0.1' });
  portal = { kind: 'webhook', webhookUrl: new URL(emulator.webhookUrl()) };
  logger.info(
    { emulator: emulator.url },
    `demo mode: no BITRIX24_WEBHOOK_URL, BITRIX24_PORTAL_URL or BITRIX24_PORTALS set, so answering from the built-in Bitrix24 emulator (sample data) at ${emulator.url}${config.graphiql ? `; GraphiQL at ${graphqlUrl}` : ''}`,
  );
} else {
  portal = config.portal;
  if (portal.kind === 'portals' && portal.allowList.plainHttp.length > 0) {
    logger.warn(
      {
        portals: portal.allowList.plainHttp.map(
          (pattern) => `${pattern.host}${pattern.port === undefined ? '' : `:${pattern.port}`}`,
        ),
      },
      'BITRIX24_PORTALS lists portals served over plain http: access tokens travel to them unencrypted',
    );
  }
}

let draining = false;
const { server, metricsServer, redis, metrics, close } = await createDialogServer({
  config,
  portal,
  logger,
  draining: () => draining,
});
const graceful = gracefulShutdown(server);

server.on('error', (error) => {
  logger.fatal({ err: error }, `cannot listen on ${config.host}:${config.port}`);
  process.exit(1);
});
server.listen(config.port, config.host, () => {
  const { port } = server.address() as AddressInfo;
  logger.info(
    {
      port,
      mode: config.portal.kind,
      graphiql: config.graphiql,
      introspection: config.introspection,
      persistedOperations: config.persistedOperations?.size ?? null,
      redis: redis ? new URL(config.redisUrl!).host : null,
    },
    `serving GraphQL at ${graphqlUrl.replace(`:${config.port}/`, `:${port}/`)}`,
  );
});

// METRICS_PORT: /metrics on an internal port of its own (and not on PORT).
if (metricsServer && config.metricsPort !== undefined) {
  const metricsPort = config.metricsPort;
  metricsServer.on('error', (error) => {
    logger.fatal({ err: error }, `cannot listen on ${config.host}:${metricsPort} (METRICS_PORT)`);
    process.exit(1);
  });
  metricsServer.listen(metricsPort, config.host, () => {
    const { port } = metricsServer.address() as AddressInfo;
    logger.info({ port }, `serving /metrics on the internal port ${port} (METRICS_PORT)`);
  });
}

/**
 * Graceful shutdown: stop accepting connections (readiness turns 503 at once), answer every request
 * still arriving on open connections with `Connection: close`, let in-flight requests finish, and
 * exit 0 as soon as they have; at SHUTDOWN_TIMEOUT_MS close whatever is left.
 */
async function shutdown(signal: string, exitCode = 0): Promise<void> {
  if (draining) return;
  draining = true;
  logger.info(
    { signal, timeoutMs: config.shutdownTimeoutMs },
    'shutting down: finishing in-flight requests',
  );
  if ((await graceful.drain(config.shutdownTimeoutMs)) === 'timeout') {
    logger.warn('shutdown timeout: closed the connections still open');
  }
  await close();
  await emulator?.close();
  logger.info('stopped');
  process.exit(exitCode);
}
// SIGHUP (the terminal closed, or a supervisor's reload), SIGQUIT and SIGUSR2 would otherwise end
// the process at once, cutting every request in flight; none of them means "reload" here.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR2'] as const) {
  process.once(signal, (received) => void shutdown(received));
}
installProcessSafetyNet({
  logger,
  onUnhandledRejection: () => metrics.unhandledRejections.inc(),
  shutdown: (reason, exitCode) => void shutdown(reason, exitCode),
});
