import autocannon from 'autocannon';

export interface LoadResult {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  readonly errors: number;
}

export const ONE_DIALOG_QUERY = JSON.stringify({
  query: 'query OneDialog($id: ID!) { dialog(id: $id) { ... on Dialog { id title } } }',
  variables: { id: 'chat21191' },
});

/** autocannon against a loopback URL: either for `seconds` or for `amount` requests. */
export async function load(
  url: string,
  body: string,
  limit: { seconds: number } | { amount: number },
  connections = 50,
): Promise<LoadResult> {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections,
    ...('seconds' in limit ? { duration: limit.seconds } : { amount: limit.amount }),
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.non2xx,
  };
}
