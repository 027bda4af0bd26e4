import { GraphQLError, Kind } from 'graphql';
import { builder } from './builder.js';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

function checkDateTime(value: unknown): string {
  if (typeof value === 'string' && ISO_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)))
    return value;
  throw new GraphQLError(
    'DateTime must be an ISO 8601 date-time with an offset, e.g. 2026-02-25T16:50:58+03:00',
  );
}

/**
 * A date-time kept exactly as the portal sent it, offset included: converting to UTC would lose the
 * portal's time zone, which a frontend may want to show.
 */
export const DateTime = builder.scalarType('DateTime', {
  description:
    'An ISO 8601 date-time with its UTC offset, as Bitrix24 sends it (`2026-02-25T16:50:58+03:00`).',
  serialize: checkDateTime,
  parseValue: checkDateTime,
  parseLiteral: (node) => checkDateTime(node.kind === Kind.STRING ? node.value : undefined),
});
