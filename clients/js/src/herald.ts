/**
 * Herald's browser client (SPEC §10): `import { Herald } from '/herald.js'` in a page, or
 * `import { Herald } from 'herald'` with a bundler. See README.md beside this package.
 */
export { Herald } from './client.js';
export type {
  HeraldOptions,
  Published,
  Reset,
  Status,
  StatusEvent,
  SubscribeOptions,
  Subscription,
  TransportKind,
} from './options.js';
export { CloseCodes, ErrorCodes, HeraldError } from './codes.js';
export type { ErrorCode } from './codes.js';
export type { Message, Position } from './protocol.js';
