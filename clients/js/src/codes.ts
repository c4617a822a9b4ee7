/**
 * The server's error codes and close codes, mirrored from its single list
 * (`herald-core/src/main/java/io/herald/ErrorCode.java` and `CloseCodes.java`). `ClientCodesTest`
 * in herald-server reads this file and fails the build when the two drift apart.
 */

/** The `code` of `error` frames and HTTP error bodies (io.herald.ErrorCode, in its order). */
export const ErrorCodes = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'too_large',
  'rate_limited',
  'unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof ErrorCodes)[number];

/** WebSocket close codes (io.herald.CloseCodes); SSE's `close` event carries the same. */
export const CloseCodes = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  PROTOCOL_ERROR: 1002,
  INVALID_PAYLOAD: 1007,
  POLICY_VIOLATION: 1008,
  MESSAGE_TOO_BIG: 1009,
  INTERNAL_ERROR: 1011,
  TRY_AGAIN_LATER: 1013,
  UNAUTHORIZED: 4001,
  HEARTBEAT_TIMEOUT: 4002,
  SLOW_CONSUMER: 4003,
} as const;

/** An error the server answered (or, for `unavailable`, a connection that could not carry the request). */
export class HeraldError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HeraldError';
  }
}
