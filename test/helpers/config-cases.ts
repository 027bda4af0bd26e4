/**
 * Every configuration rule with malformed values and the one line it must answer, naming the variable.
 * Checked as a table against loadConfig (test/unit/config.test.ts), the single place the rules live.
 * What the process does with those lines (each on stderr as `Configuration error: LINE`, one per
 * problem, exit 2, no value echoed) is checked by a few real processes in test/e2e/configured.test.ts.
 */
export const CONFIG_ERROR_CASES: ReadonlyArray<
  readonly [env: Record<string, string>, line: string]
> = [
  [
    {
      BITRIX24_WEBHOOK_URL: 'https://acme.bitrix24.com/rest/1/s3cr3t/',
      BITRIX24_PORTAL_URL: 'https://acme.bitrix24.com',
    },
    'BITRIX24_WEBHOOK_URL and BITRIX24_PORTAL_URL are both set: set one (webhook mode) or the other (OAuth pass-through)',
  ],
  [
    { BITRIX24_WEBHOOK_URL: 'acme.bitrix24.com/rest/1/s3cr3t/' },
    'BITRIX24_WEBHOOK_URL must be a URL like https://PORTAL/rest/USER_ID/SECRET/',
  ],
  [
    { BITRIX24_WEBHOOK_URL: 'https://acme.bitrix24.com/s3cr3t' },
    'BITRIX24_WEBHOOK_URL must be a URL like https://PORTAL/rest/USER_ID/SECRET/',
  ],
  [
    { BITRIX24_WEBHOOK_URL: 'ftp://acme.bitrix24.com/rest/1/s3cr3t/' },
    'BITRIX24_WEBHOOK_URL must be a URL like https://PORTAL/rest/USER_ID/SECRET/',
  ],
  [
    { BITRIX24_PORTAL_URL: 'https://acme.bitrix24.com/rest/' },
    'BITRIX24_PORTAL_URL must be the portal address only, like https://PORTAL',
  ],
  [{ BITRIX24_TIMEOUT_MS: '0' }, 'BITRIX24_TIMEOUT_MS must be a positive integer (milliseconds)'],
  [
    { BITRIX24_TIMEOUT_MS: 'soon' },
    'BITRIX24_TIMEOUT_MS must be a positive integer (milliseconds)',
  ],
  [
    { BITRIX24_RPS: '-2' },
    'BITRIX24_RPS must be 0 (unpaced) or a positive number (requests per second)',
  ],
  [{ BITRIX24_BURST: '1.5' }, 'BITRIX24_BURST must be a positive integer (requests)'],
  [{ PORT: '70000' }, 'PORT must be a port number (1-65535)'],
  [{ PORT: 'eighty' }, 'PORT must be a port number (1-65535)'],
  [
    { BITRIX24_RPS: 'Infinity' },
    'BITRIX24_RPS must be 0 (unpaced) or a positive number (requests per second)',
  ],
  [{ BITRIX24_RETRIES: '11' }, 'BITRIX24_RETRIES must be at most 10 (retries)'],
  [{ BITRIX24_PORTAL_KIND: 'self-hosted' }, 'BITRIX24_PORTAL_KIND must be cloud or on-premise'],
  [{ CACHE_TTL_MS: '-1' }, 'CACHE_TTL_MS must be 0 or a positive integer (milliseconds)'],
  [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL must be a URL like redis://HOST:6379'],
  [{ GRAPHIQL: 'maybe' }, 'GRAPHIQL must be true or false'],
  [{ BITRIX24_DEMO: 'yes please' }, 'BITRIX24_DEMO must be true or false'],
  [
    { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
    'OTEL_EXPORTER_OTLP_PROTOCOL must be http/json (this server sends OTLP over HTTP as JSON; collectors accept it on 4318)',
  ],
  [
    { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' },
    'OTEL_EXPORTER_OTLP_ENDPOINT must be a URL like http://collector:4318',
  ],
  [
    { OTEL_TRACES_EXPORTER: 'zipkin' },
    'OTEL_TRACES_EXPORTER must be otlp or none (traces go over OTLP/HTTP)',
  ],
  [
    { NODE_ENV: 'production' },
    'NODE_ENV=production and no portal configured: set BITRIX24_WEBHOOK_URL, BITRIX24_PORTAL_URL or BITRIX24_PORTALS (or BITRIX24_DEMO=true to serve the built-in sample portal)',
  ],
  [
    { BITRIX24_DEMO: 'true', BITRIX24_PORTAL_URL: 'https://acme.bitrix24.com' },
    'BITRIX24_DEMO=true serves the built-in sample portal, but a portal is configured (BITRIX24_WEBHOOK_URL, BITRIX24_PORTAL_URL or BITRIX24_PORTALS): unset one or the other',
  ],
  [{ INTROSPECTION: 'no way' }, 'INTROSPECTION must be true or false'],
  [{ FEDERATION_SDL: 'sometimes' }, 'FEDERATION_SDL must be true or false'],
  [
    { GRAPHIQL: 'true', INTROSPECTION: 'false' },
    'GRAPHIQL=true needs introspection: unset INTROSPECTION or set it to true',
  ],
  [
    { CORS_ORIGINS: 'https://app.example.com/path' },
    'CORS_ORIGINS must be a comma-separated list of origins like https://app.example.com (or *)',
  ],
  [{ MAX_REQUEST_BODY_BYTES: '0' }, 'MAX_REQUEST_BODY_BYTES must be a positive integer (bytes)'],
  [{ REPLICAS_HINT: '0' }, 'REPLICAS_HINT must be a positive integer (replicas)'],
  [
    { SHUTDOWN_TIMEOUT_MS: 'never' },
    'SHUTDOWN_TIMEOUT_MS must be a positive integer (milliseconds)',
  ],
  [
    { PERSISTED_OPERATIONS: '/nonexistent/manifest.json' },
    'PERSISTED_OPERATIONS: cannot read /nonexistent/manifest.json as JSON (ENOENT)',
  ],
  [{ BITRIX24_RETRIES: '11' }, 'BITRIX24_RETRIES must be at most 10 (retries)'],
  [
    { BITRIX24_MAX_QUEUE: '0' },
    'BITRIX24_MAX_QUEUE must be a positive integer (waiting dialog lookups)',
  ],
  [{ BITRIX24_PORTAL_KIND: 'self-hosted' }, 'BITRIX24_PORTAL_KIND must be cloud or on-premise'],
  [
    { BITRIX24_METHOD_TIME_BUDGET_S: '0' },
    'BITRIX24_METHOD_TIME_BUDGET_S must be a positive integer (seconds per 10 minutes)',
  ],
  [
    { BITRIX24_MAX_ANSWER_BYTES: 'lots' },
    'BITRIX24_MAX_ANSWER_BYTES must be a positive integer (bytes)',
  ],
  [
    { BITRIX24_BATCH_WINDOW_MS: '5000' },
    'BITRIX24_BATCH_WINDOW_MS must be at most 1000 (milliseconds)',
  ],
  [{ REQUEST_DEADLINE_MS: '-5' }, 'REQUEST_DEADLINE_MS must be a positive integer (milliseconds)'],
  [
    { LOG_LEVEL: 'loud' },
    'LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent',
  ],
  [{ PORT: 'eighty' }, 'PORT must be a port number (1-65535)'],
  [{ METRICS_PORT: '70000' }, 'METRICS_PORT must be a port number (1-65535)'],
  [
    { PORT: '4000', METRICS_PORT: '4000' },
    'METRICS_PORT must differ from PORT: it serves /metrics on an internal port of its own',
  ],
  [
    { MAX_OPERATIONS_IN_FLIGHT: '0' },
    'MAX_OPERATIONS_IN_FLIGHT must be a positive integer (GraphQL requests in progress)',
  ],
  [
    { MAX_OPERATIONS_IN_FLIGHT: 'many' },
    'MAX_OPERATIONS_IN_FLIGHT must be a positive integer (GraphQL requests in progress)',
  ],
  [
    { BITRIX24_PORTAL_URL: 'acme' },
    'BITRIX24_PORTAL_URL must be the portal address only, like https://PORTAL',
  ],
  [
    {
      BITRIX24_WEBHOOK_URL: 'https://a.bitrix24.com/rest/1/x/',
      BITRIX24_PORTAL_URL: 'https://a.bitrix24.com',
    },
    'BITRIX24_WEBHOOK_URL and BITRIX24_PORTAL_URL are both set: set one (webhook mode) or the other (OAuth pass-through)',
  ],
  [{ BITRIX24_TIMEOUT_MS: '-1' }, 'BITRIX24_TIMEOUT_MS must be a positive integer (milliseconds)'],
  [
    { BITRIX24_RPS: 'fast' },
    'BITRIX24_RPS must be 0 (unpaced) or a positive number (requests per second)',
  ],
  [{ BITRIX24_BURST: 'lots' }, 'BITRIX24_BURST must be a positive integer (requests)'],
  [{ BITRIX24_RETRIES: '99' }, 'BITRIX24_RETRIES must be at most 10 (retries)'],
  [
    { REQUEST_DEADLINE_MS: 'soon' },
    'REQUEST_DEADLINE_MS must be a positive integer (milliseconds)',
  ],
  [{ REDIS_URL: 'localhost' }, 'REDIS_URL must be a URL like redis://HOST:6379'],
  [{ CACHE_TTL_MS: '-5' }, 'CACHE_TTL_MS must be 0 or a positive integer (milliseconds)'],
  [{ GRAPHIQL: 'yes please' }, 'GRAPHIQL must be true or false'],
  [{ INTROSPECTION: 'sometimes' }, 'INTROSPECTION must be true or false'],
  [
    { CORS_ORIGINS: 'app.example.com' },
    'CORS_ORIGINS must be a comma-separated list of origins like https://app.example.com (or *)',
  ],
  [{ MAX_REQUEST_BODY_BYTES: '1.5' }, 'MAX_REQUEST_BODY_BYTES must be a positive integer (bytes)'],
  [
    { LOG_LEVEL: 'verbose' },
    'LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent',
  ],
  [{ SHUTDOWN_TIMEOUT_MS: '0' }, 'SHUTDOWN_TIMEOUT_MS must be a positive integer (milliseconds)'],
  [
    { PERSISTED_OPERATIONS: '/no/such/file.json' },
    'PERSISTED_OPERATIONS: cannot read /no/such/file.json as JSON (ENOENT)',
  ],
  // Multi-portal mode (BITRIX24_PORTALS): exclusive with both single-portal variables; entries are host patterns.
  [
    {
      BITRIX24_PORTALS: '*.bitrix24.com',
      BITRIX24_WEBHOOK_URL: 'https://acme.bitrix24.com/rest/1/s3cr3t/',
    },
    "BITRIX24_PORTALS and BITRIX24_WEBHOOK_URL are both set: BITRIX24_PORTALS serves many portals with each caller's OAuth token, a webhook one portal; set one of them",
  ],
  [
    { BITRIX24_PORTALS: '*.bitrix24.com', BITRIX24_PORTAL_URL: 'https://acme.bitrix24.com' },
    'BITRIX24_PORTALS and BITRIX24_PORTAL_URL are both set: BITRIX24_PORTALS serves many portals, BITRIX24_PORTAL_URL one; set one of them',
  ],
  [
    { BITRIX24_PORTALS: ' , ' },
    'BITRIX24_PORTALS lists no portal: entries look like *.bitrix24.com, crm.example.com or https://crm.example.com:8443',
  ],
  [
    { BITRIX24_PORTALS: '*.bitrix24.com,https://acme.bitrix24.com/rest/' },
    'BITRIX24_PORTALS entry 2 is not a portal host pattern: entries look like *.bitrix24.com, crm.example.com or https://crm.example.com:8443',
  ],
  [
    { BITRIX24_PORTALS: 'https://admin:s3cr3t@crm.example.com' },
    'BITRIX24_PORTALS entry 1 holds user-info (user@ or user:password@): list host names only',
  ],
  [
    { BITRIX24_PORTALS: '10.0.0.5' },
    'BITRIX24_PORTALS entry 1 is an IP address: list host names (the addresses they resolve to are checked when connecting)',
  ],
  [
    { BITRIX24_PORTALS: 'crm.example.com,*.com' },
    'BITRIX24_PORTALS entry 2 is too broad: a wildcard needs at least two labels after it (*.bitrix24.com)',
  ],
  [
    { BITRIX24_PORTALS: 'http://*.bitrix24.com' },
    'BITRIX24_PORTALS entry 1: plain http is allowed only for hosts listed one by one (http://portal.example:8080), never for a wildcard',
  ],
  [
    { BITRIX24_PORTALS: 'a*.bitrix24.com' },
    'BITRIX24_PORTALS entry 1 has a * that is not a whole first label: entries look like *.bitrix24.com, crm.example.com or https://crm.example.com:8443',
  ],
  [
    { BITRIX24_PORTALS: 'crm.example.com,CRM.example.com.' },
    'BITRIX24_PORTALS entry 2 repeats a host listed before it: list each host once',
  ],
  [
    { BITRIX24_PORTALS: 'ftp://crm.example.com' },
    'BITRIX24_PORTALS entry 1 is not a portal host pattern: entries look like *.bitrix24.com, crm.example.com or https://crm.example.com:8443',
  ],
  [
    { BITRIX24_PORTALS: 'crm.example.com:70000' },
    'BITRIX24_PORTALS entry 1 has a port outside 1-65535',
  ],
  [
    { BITRIX24_PORTALS: '*.bitrix24.com', BITRIX24_ALLOWED_PRIVATE_ADDRESSES: 'localhost' },
    'BITRIX24_ALLOWED_PRIVATE_ADDRESSES must be a comma-separated list of IP addresses, like 10.0.0.5,fd00::5 (exact addresses, not ranges)',
  ],
  [
    { BITRIX24_PORTALS: '*.bitrix24.com', BITRIX24_ALLOWED_PRIVATE_ADDRESSES: '10.0.0.0/8' },
    'BITRIX24_ALLOWED_PRIVATE_ADDRESSES must be a comma-separated list of IP addresses, like 10.0.0.5,fd00::5 (exact addresses, not ranges)',
  ],
  [
    { BITRIX24_ALLOWED_PRIVATE_ADDRESSES: '127.0.0.1' },
    'BITRIX24_ALLOWED_PRIVATE_ADDRESSES applies only with BITRIX24_PORTALS (a configured portal URL is called wherever it points): unset it',
  ],
];
