/**
 * Apollo Client 4 only warns in development builds: its default entry reads `globalThis.__DEV__`
 * once, when it is first imported, and bundlers set it for a development build. Import this module
 * before `@apollo/client` (imports run in order) so the tests see every warning a developer would.
 */
(globalThis as { __DEV__?: boolean }).__DEV__ = true;
