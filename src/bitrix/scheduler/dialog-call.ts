/** Kept for existing imports: calls are built in command-call.ts. */
export type { CallSender } from './command-call.js';
