import type { ServerFrame } from './protocol.js';

/** What a transport tells the client. Each is called on the transport's current connection only. */
export interface TransportHandlers {
  /** The connection is established (WebSocket open; SSE response 200). */
  open(): void;
  /** A frame from the server. */
  frame(frame: ServerFrame): void;
  /** Bytes came from the server (a frame, or an SSE comment): it is alive. */
  alive(): void;
  /**
   * The connection ended, once: with the close code (1006 when none came), whether it had opened,
   * and for an HTTP refusal the error body's code and message.
   */
  close(code: number, reason: string, opened: boolean): void;
}

/** One connection to the server; closing it calls no handler. */
export interface Transport {
  readonly kind: 'websocket' | 'sse';
  /** Sends a command (WebSocket only). */
  send(frame: object): void;
  close(): void;
}

/** 1006: the connection ended without a close code (RFC 6455 §7.1.5); used for every network failure. */
export const ABNORMAL = 1006;
