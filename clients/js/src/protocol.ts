/** The frames of Herald's protocol (SPEC §5.1) as the client reads them, and batch unpacking. */

/** A message as the application sees it: one per publish, with its place in the channel. */
export interface Message<T = unknown> {
  channel: string;
  event: string;
  /** Strictly increasing per channel (from 1); a superseded keyed value leaves a gap that is not a loss. */
  offset: number;
  /** The server's publish time, epoch milliseconds. */
  ts: number;
  data: T;
  key?: string;
}

/** Where a client stands in a channel: the channel's epoch and the last offset it received. */
export interface Position {
  epoch: string;
  offset: number;
}

/** A message element as the server writes it (in a batch or a `state`, the channel is the frame's). */
type Element = Omit<Message, 'channel'> & { channel?: string };

export type ServerFrame =
  | { type: 'welcome'; id?: number; connectionId: string; heartbeatMs: number; timeoutMs: number; server: string }
  | { type: 'subscribed'; id?: number; channel: string; epoch: string; offset: number; recovered: boolean; state?: Element[] }
  | ({ type: 'message' } & Message)
  | { type: 'batch'; channel: string; messages: Element[] }
  | { type: 'lag'; channel: string; skipped: number }
  | { type: 'unsubscribed'; id?: number; channel: string; reason?: string }
  | { type: 'published'; id?: number; channel: string; offset: number; epoch: string; ts: number }
  | { type: 'error'; id?: number; code: string; message: string }
  | { type: 'ping' | 'pong'; id?: number }
  | { type: 'shutdown'; reconnectAfterMs: number }
  | { type: 'close'; code: number; reason: string };

/** The messages a frame carries, in order: one for `message`, each element of a `batch` or a `state`. */
export function unpack(channel: string, elements: Element[]): Message[] {
  return elements.map((e) => ({ ...e, channel: e.channel ?? channel }) as Message);
}

/** The SSE position id the server reads as `since`: base64url of `channel=epoch:offset;…` (SseEventIds). */
export function sseSince(positions: [string, Position][]): string {
  const text = positions.map(([ch, p]) => `${ch}=${p.epoch}:${p.offset}`).join(';');
  // channel names and epochs are ASCII (SPEC §2), so btoa takes them as they are
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Channel names the server takes (SPEC §2): 1–255 of `A-Z a-z 0-9 _ . : @ # / -`, or one of Herald's
 * own system channels, the same after a leading `$` (`$herald:stats`; admin tokens only).
 */
export const CHANNEL_NAME = /^(?=.{1,255}$)\$?[A-Za-z0-9_.:@#/-]+$/;
