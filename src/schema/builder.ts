import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import type { RequestContext } from '../context.js';

export const builder = new SchemaBuilder<{
  Context: RequestContext;
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: string; Output: string };
  };
}>({
  plugins: [ErrorsPlugin],
  defaultFieldNullability: false,
  errors: {
    // Never the plain `Error` class here: it would turn every unexpected error (with its raw
    // message) into a union member and bypass masking. Fields list their documented errors.
    defaultTypes: [],
  },
});
