import type { HeraldError } from './codes.js';
import type { Message, Position } from './protocol.js';

/** The public types of the client: its options, what it tells, what it answers. */

export type Status = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';
export type TransportKind = 'websocket' | 'sse';

/** A change of the connection's status. */
export interface StatusEvent {
  status: Status;
  /** The transport in use, once `connected`. */
  transport?: TransportKind;
  /** The close code that ended the last connection (SPEC §5.1; 1006 for a network failure). */
  code?: number;
  reason?: string;
  /** `reconnecting`: when the next attempt starts. None while the browser is offline. */
  delayMs?: number;
}

export interface HeraldOptions {
  /** The server, e.g. `https://herald.example` (http, https, ws or wss). Default: the page's origin. */
  url?: string;
  /** The connection token (a JWT). Without a `getToken`, a 4001 (expired, invalid) ends the client. */
  token?: string;
  /** Called for a token at the first connect and again after every 4001; may return a promise. */
  getToken?: () => string | Promise<string>;
  /** In order of preference; SSE is used when a WebSocket cannot be opened. Default both. */
  transports?: TransportKind[];
  /** Reconnect backoff: full jitter under a ceiling that doubles from `initialMs` (500) up to `maxMs` (30,000). */
  reconnect?: { initialMs?: number; maxMs?: number };
  /**
   * A connection from which no frame arrives for this long is dead and replaced. Over WebSocket the
   * server's `welcome` sets it (its `timeoutMs`); this is for SSE and before the welcome. Default 30,000.
   */
  timeoutMs?: number;
  /** A WebSocket not open within this long counts as blocked (SSE is tried). Default 10,000. */
  openTimeoutMs?: number;
  /** For runtimes without the browser's globals, and for tests. */
  WebSocket?: typeof WebSocket;
  fetch?: typeof fetch;
}

/** What `recovered: false` tells: the messages between `previous` and `offset` cannot be recovered. */
export interface Reset {
  channel: string;
  /** Where the subscription continues from. */
  epoch: string;
  offset: number;
  /** Where the client stood. */
  previous: Position;
}

export interface SubscribeOptions<T = unknown> {
  /** Only these events (filtered by the server over WebSocket). Default: all. */
  events?: string[];
  /**
   * Start after this position instead of now: the messages after it come first (from the channel's
   * history), then the live ones. For a page that loaded a snapshot of the channel's data taken at
   * a known position (its epoch and last offset), so nothing between the snapshot and the
   * subscription is missed. A position the server cannot recover is told as `onReset`. Only the
   * channel's first subscription sets it; later ones share where the channel stands.
   */
  since?: Position;
  /** Each message once, in offset order, across reconnects. */
  onMessage?: (message: Message<T>) => void;
  /** The channel's retained state (the latest message of each key), before any live message. */
  onState?: (state: Message<T>[]) => void;
  /**
   * The client's position could not be recovered (another epoch: the channel was removed or its
   * history lost; or older than the history holds): messages were missed; reload what you show.
   */
  onReset?: (reset: Reset) => void;
  /** The server skipped `skipped` messages for this slow client; the client is recovering them from history. */
  onLag?: (skipped: number) => void;
  /** The server refused or ended the subscription (`forbidden`, `rate_limited`, channel deleted…): it is over. */
  onError?: (error: HeraldError) => void;
}

export interface Subscription {
  readonly channel: string;
  unsubscribe(): void;
}

/** The answer to a publish. */
export interface Published {
  channel: string;
  offset: number;
  epoch: string;
  ts: number;
}
