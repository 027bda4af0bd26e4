import type { HrTime, Link, SpanContext } from '@opentelemetry/api';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';

/**
 * Finished spans as an OTLP/JSON `ExportTraceServiceRequest`, the text the maintained
 * serializer (`JsonTraceSerializer` of @opentelemetry/otlp-transformer) writes, byte for byte:
 * the same fields in the same order, the same omissions. test/unit/otlp-json-exporter.test.ts
 * holds it to that package (a dev dependency). Ids stay hex, times are decimal nanosecond
 * strings, bytes are base64, and kinds count from 1 (OTLP's 0 is "unspecified").
 */

type AnyValue =
  | { stringValue: string }
  | { intValue: number }
  | { doubleValue: number }
  | { boolValue: boolean }
  | { bytesValue: string }
  | { arrayValue: { values: AnyValue[] } }
  | { kvlistValue: { values: KeyValue[] } }
  | Record<string, never>;
interface KeyValue {
  key: string;
  value: AnyValue;
}

// Span flags: the low 8 bits are the W3C trace flags; OTLP adds "we know whether the parent was
// remote" and "it was".
const HAS_IS_REMOTE = 0x100;
const IS_REMOTE = 0x200;
const flagsOf = (traceFlags: number, isRemote: boolean | undefined): number =>
  (traceFlags & 0xff) | HAS_IS_REMOTE | (isRemote ? IS_REMOTE : 0);

const nanos = ([seconds, nanoseconds]: HrTime): string =>
  (BigInt(Math.trunc(seconds)) * 1_000_000_000n + BigInt(Math.trunc(nanoseconds))).toString();

function anyValue(value: unknown): AnyValue {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'number')
    return Number.isInteger(value) ? { intValue: value } : { doubleValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (value instanceof Uint8Array) return { bytesValue: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  if (typeof value === 'object' && value !== null)
    return { kvlistValue: { values: keyValues(value as Record<string, unknown>) } };
  // null and undefined (allowed inside attribute arrays): an empty AnyValue, as the SDK's.
  return {};
}

const keyValues = (attributes: Readonly<Record<string, unknown>>): KeyValue[] =>
  Object.keys(attributes).map((key) => ({ key, value: anyValue(attributes[key]) }));

const eventOf = (event: TimedEvent) => ({
  attributes: event.attributes ? keyValues(event.attributes) : [],
  name: event.name,
  timeUnixNano: nanos(event.time),
  droppedAttributesCount: event.droppedAttributesCount || 0,
});

const linkOf = (link: Link) => ({
  attributes: link.attributes ? keyValues(link.attributes) : [],
  spanId: link.context.spanId,
  traceId: link.context.traceId,
  traceState: link.context.traceState?.serialize(),
  droppedAttributesCount: link.droppedAttributesCount || 0,
  flags: flagsOf(link.context.traceFlags, link.context.isRemote),
});

function spanOf(span: ReadableSpan) {
  const context: SpanContext = span.spanContext();
  const parent = span.parentSpanContext;
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    parentSpanId: parent?.spanId ? parent.spanId : undefined,
    traceState: context.traceState?.serialize(),
    name: span.name,
    kind: span.kind == null ? 0 : span.kind + 1,
    startTimeUnixNano: nanos(span.startTime),
    endTimeUnixNano: nanos(span.endTime),
    attributes: keyValues(span.attributes),
    droppedAttributesCount: span.droppedAttributesCount,
    events: span.events.map(eventOf),
    droppedEventsCount: span.droppedEventsCount,
    // The API's status codes are OTLP's.
    status: { code: span.status.code, message: span.status.message },
    links: span.links.map(linkOf),
    droppedLinksCount: span.droppedLinksCount,
    flags: flagsOf(context.traceFlags, parent?.isRemote),
  };
}

function scopeOf(scope: ReadableSpan['instrumentationScope']) {
  // Scope attributes are newer than the InstrumentationScope type; the serializer sends them.
  const { attributes, droppedAttributesCount } = scope as {
    attributes?: Record<string, unknown>;
    droppedAttributesCount?: number;
  };
  return {
    name: scope.name,
    version: scope.version,
    ...(attributes && Object.keys(attributes).length > 0
      ? { attributes: keyValues(attributes), droppedAttributesCount: droppedAttributesCount ?? 0 }
      : {}),
  };
}

function resourceOf(resource: ReadableSpan['resource']) {
  return {
    attributes: keyValues(resource.attributes),
    droppedAttributesCount: 0,
    ...(resource.schemaUrl ? { schemaUrl: resource.schemaUrl } : {}),
  };
}

/** The request body for `spans`: grouped by resource (same object), then by scope. */
export function encodeTraceRequest(spans: readonly ReadableSpan[]): string {
  const byResource = new Map<ReadableSpan['resource'], Map<string, ReadableSpan[]>>();
  for (const span of spans) {
    const byScope = byResource.get(span.resource) ?? new Map<string, ReadableSpan[]>();
    byResource.set(span.resource, byScope);
    const { name, version, schemaUrl } = span.instrumentationScope;
    const key = `${name}@${version || ''}:${schemaUrl || ''}`;
    const group = byScope.get(key);
    if (group) group.push(span);
    else byScope.set(key, [span]);
  }
  const resourceSpans = [...byResource].map(([resource, byScope]) => {
    const encodedResource = resourceOf(resource);
    return {
      resource: encodedResource,
      scopeSpans: [...byScope.values()].map((group) => ({
        scope: scopeOf(group[0]!.instrumentationScope),
        spans: group.map(spanOf),
        schemaUrl: group[0]!.instrumentationScope.schemaUrl,
      })),
      schemaUrl: encodedResource.schemaUrl,
    };
  });
  return JSON.stringify({ resourceSpans });
}
