import { describe, expect, it } from '@jest/globals';
import { BoundedLabels, createMetrics } from '../../src/server/plugins/metrics.js';

const seriesOf = async (metrics: ReturnType<typeof createMetrics>, name: string) =>
  (await metrics.registry.metrics()).split('\n').filter((line) => line.startsWith(`${name}{`));

describe('upstream codes as metric labels', () => {
  it('are bounded like operation names: past 50 distinct codes, or codes that do not look like one, count as "other"', async () => {
    const metrics = createMetrics();
    for (let i = 0; i < 500; i++) {
      const code = `RANDOM_CODE_${i}`;
      metrics.upstreamEvents.onAttempt?.({
        method: 'batch',
        portal: 'p',
        outcome: code,
        ms: 1,
        status: 500,
      });
      metrics.upstreamEvents.onRetry?.({ method: 'batch', portal: 'p', code, attempt: 1 });
    }
    metrics.upstreamEvents.onAttempt?.({
      method: 'batch',
      portal: 'p',
      outcome: '<html>\nnot a code',
      ms: 1,
      status: 502,
    });
    const calls = await seriesOf(metrics, 'bitrix24_upstream_requests_total');
    const retries = await seriesOf(metrics, 'bitrix24_upstream_retries_total');
    expect(calls.length).toBeLessThanOrEqual(51);
    expect(retries.length).toBeLessThanOrEqual(51);
    expect(calls).toContain(
      'bitrix24_upstream_requests_total{method="batch",outcome="RANDOM_CODE_0"} 1',
    );
    expect(calls).toContain('bitrix24_upstream_requests_total{method="batch",outcome="other"} 451');
  });

  it('keep the outcomes seen first, ok among them', () => {
    const labels = new BoundedLabels(2, /^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'unknown');
    expect(
      ['ok', 'QUERY_LIMIT_EXCEEDED', 'NEW_ONE', 'ok', '', 'bad code'].map((value) =>
        labels.label(value),
      ),
    ).toEqual(['ok', 'QUERY_LIMIT_EXCEEDED', 'other', 'ok', 'unknown', 'other']);
  });
});

describe('portal hosts as metric labels', () => {
  const answered = (metrics: ReturnType<typeof createMetrics>, portal: string, outcome = 'ok') =>
    metrics.upstreamEvents.onAttempt?.({ method: 'batch', portal, outcome, ms: 1, status: 200 });

  it('are bounded: the first 100 hosts that answered have series, counters of the rest add up under "other", gauges are not kept for them', async () => {
    const metrics = createMetrics();
    for (let i = 0; i < 250; i++) {
      const portal = `customer-${i}.bitrix24.com`;
      answered(metrics, portal);
      metrics.upstreamEvents.onRefusal?.(portal, 'QUERY_LIMIT_EXCEEDED');
      metrics.upstreamEvents.onShed?.(portal, 'PACING_DEADLINE');
      metrics.upstreamEvents.onQueueDepth?.(portal, 3);
      metrics.upstreamEvents.onMirrorLevel?.(portal, 10, 49);
    }
    const refusals = await seriesOf(metrics, 'bitrix24_refusals_total');
    expect(refusals).toHaveLength(101);
    expect(refusals).toContain(
      'bitrix24_refusals_total{portal="customer-0.bitrix24.com",code="QUERY_LIMIT_EXCEEDED"} 1',
    );
    expect(refusals).toContain(
      'bitrix24_refusals_total{portal="other",code="QUERY_LIMIT_EXCEEDED"} 150',
    );
    expect(await seriesOf(metrics, 'bitrix24_shed_lookups_total')).toHaveLength(101);
    for (const gauge of [
      'bitrix24_pacing_queue_depth',
      'bitrix24_bucket_mirror_level',
      'bitrix24_bucket_mirror_capacity',
    ]) {
      const series = await seriesOf(metrics, gauge);
      expect(series).toHaveLength(100);
      expect(series.some((line) => line.includes('portal="other"'))).toBe(false);
    }
  });

  it('are given only to portals that answered: made-up names cannot take the slots first', async () => {
    const metrics = createMetrics();
    // A flood of requests naming portals that never answer (or answer only refusals and errors).
    for (let i = 0; i < 500; i++) {
      const portal = `made-up-${i}.bitrix24.com`;
      answered(metrics, portal, i % 2 === 0 ? 'ECONNREFUSED' : 'NO_AUTH_FOUND');
      metrics.upstreamEvents.onRefusal?.(portal, 'QUERY_LIMIT_EXCEEDED');
      metrics.upstreamEvents.onShed?.(portal, 'PACING_QUEUE_FULL');
      metrics.upstreamEvents.onQueueDepth?.(portal, 3);
      metrics.upstreamEvents.onMirrorLevel?.(portal, 10, 49);
    }
    // Then a real customer's portal answers, and is refused once.
    answered(metrics, 'real-customer.bitrix24.com');
    metrics.upstreamEvents.onRefusal?.('real-customer.bitrix24.com', 'QUERY_LIMIT_EXCEEDED');
    metrics.upstreamEvents.onQueueDepth?.('real-customer.bitrix24.com', 7);
    const text = await metrics.registry.metrics();
    expect(text).not.toContain('made-up-');
    expect(await seriesOf(metrics, 'bitrix24_refusals_total')).toEqual([
      'bitrix24_refusals_total{portal="other",code="QUERY_LIMIT_EXCEEDED"} 500',
      'bitrix24_refusals_total{portal="real-customer.bitrix24.com",code="QUERY_LIMIT_EXCEEDED"} 1',
    ]);
    expect(await seriesOf(metrics, 'bitrix24_pacing_queue_depth')).toEqual([
      'bitrix24_pacing_queue_depth{portal="real-customer.bitrix24.com"} 7',
    ]);
  });

  it('label the deployment’s own portal from the start', async () => {
    const metrics = createMetrics({ configuredPortal: 'company.bitrix24.com' });
    metrics.upstreamEvents.onRefusal?.('company.bitrix24.com', 'QUERY_LIMIT_EXCEEDED');
    expect(await seriesOf(metrics, 'bitrix24_refusals_total')).toEqual([
      'bitrix24_refusals_total{portal="company.bitrix24.com",code="QUERY_LIMIT_EXCEEDED"} 1',
    ]);
  });
});
