import { Backoff } from './backoff.js';
import { Channels, call, filter, type Channel, type Listener } from './channels.js';
import { HeraldError, type ErrorCode } from './codes.js';
import type { HeraldOptions, Published, StatusEvent, Status, SubscribeOptions, Subscription, TransportKind } from './options.js';
import { CHANNEL_NAME, sseSince, unpack, type Position, type ServerFrame } from './protocol.js';
import { openSse } from './sse.js';
import type { Transport, TransportHandlers } from './transport.js';
import { openWebSocket } from './websocket.js';

interface Request {
  frame: Record<string, unknown>;
  resolve(p: Published): void;
  reject(e: HeraldError): void;
  sent?: boolean;
}

/**
 * A connection to Herald, with its subscriptions. It reconnects by itself (backoff with full jitter;
 * after a `shutdown`, the server's delay) and resubscribes every channel from the last offset it
 * delivered, so each message reaches the application once, in order, across drops; what cannot be
 * recovered is told (`onReset`). Over SSE when a WebSocket cannot be opened.
 *
 * <pre>
 * const herald = new Herald({ getToken: () => fetch('/token').then((r) => r.text()) }).connect();
 * const sub = herald.subscribe('scan:42', { onMessage: (m) => show(m.event, m.data) });
 * herald.on('status', (s) => badge(s.status));
 * sub.unsubscribe(); herald.close();
 * </pre>
 */
export class Herald {
  private readonly o: HeraldOptions;
  private readonly base: string;
  private readonly backoff: Backoff;
  private readonly channels: Channels;
  private readonly requests = new Map<number, Request>();
  private readonly handlers = { status: new Set<(e: StatusEvent) => void>(), error: new Set<(e: HeraldError) => void>() };
  private state: StatusEvent = { status: 'disconnected' };
  private running = false;
  private conn?: Transport;
  private up = false;
  /** Whether the connection in `conn` has opened. */
  private opened = false;
  private ids = 0;
  /** Counts open attempts, so an attempt that waited for a token knows whether it is still wanted. */
  private generation = 0;
  private token?: string;
  private timeoutMs: number;
  private retry?: ReturnType<typeof setTimeout>;
  private watchdog?: ReturnType<typeof setTimeout>;
  /** A WebSocket opened once: it is not blocked, and a failure is the server's or the network's. */
  private wsWorked = false;
  private preferSse = false;
  /** SSE with no channel: no stream until there is one. */
  private sseIdle = false;
  private reopening = false;

  constructor(options: HeraldOptions = {}) {
    this.o = options;
    this.base = (options.url ?? globalThis.location?.origin ?? '').replace(/\/$/, '');
    this.backoff = new Backoff(options.reconnect?.initialMs, options.reconnect?.maxMs);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.token = options.token;
    this.channels = new Channels((e) => this.handlers.error.forEach((h) => call(h, e)));
  }

  /** The current status (`disconnected` before `connect()`). */
  get status(): Status {
    return this.state.status;
  }

  /**
   * Connects, and keeps connected until `close()` or a close code that forbids a reconnect (1008; 4001
   * without `getToken`). The socket opens in a later task, so a `close()` in the same task opens none.
   */
  connect(): this {
    if (this.running) return this;
    this.running = true;
    globalThis.addEventListener?.('online', this.online);
    globalThis.addEventListener?.('offline', this.offline);
    this.emit({ status: 'connecting' });
    const generation = ++this.generation;
    Promise.resolve().then(() => generation === this.generation && this.open());
    return this;
  }

  /** Closes the connection and stops reconnecting. Subscriptions and their positions stay: `connect()` resumes them. */
  close(): void {
    if (!this.running) return;
    this.running = false;
    this.generation++;
    globalThis.removeEventListener?.('online', this.online);
    globalThis.removeEventListener?.('offline', this.offline);
    this.drop();
    clearTimeout(this.retry);
    for (const [id, r] of this.requests) {
      this.requests.delete(id);
      r.reject(new HeraldError('unavailable', 'the client was closed'));
    }
    this.emit({ status: 'disconnected', code: 1000, reason: 'closed by the client' });
  }

  /** Listens to status changes, or to server errors that belong to no subscription nor publish. Returns the remover. */
  on(type: 'status', listener: (e: StatusEvent) => void): () => void;
  on(type: 'error', listener: (e: HeraldError) => void): () => void;
  on(type: 'status' | 'error', listener: (e: any) => void): () => void {
    this.handlers[type].add(listener);
    return () => this.handlers[type].delete(listener);
  }

  /**
   * Subscribes to `channel`. Several subscriptions to one channel share one on the server.
   *
   * @throws HeraldError `bad_request` for a name the server would refuse
   */
  subscribe<T = unknown>(channel: string, options: SubscribeOptions<T> = {}): Subscription {
    if (!CHANNEL_NAME.test(channel)) {
      throw new HeraldError('bad_request', `invalid channel name '${channel}': 1-255 of A-Z a-z 0-9 _ . : @ # / -`);
    }
    const listener: Listener = { o: options };
    const added = this.channels.add(channel, listener);
    if (added) this.changed(added);
    return {
      channel,
      unsubscribe: () => {
        const removed = this.channels.remove(channel, listener);
        if (removed === 'changed') this.changed(this.channels.get(channel)!);
        else if (removed === 'gone' && this.conn?.kind === 'sse') this.reopen();
        else if (removed === 'gone' && this.up) this.conn?.send({ type: 'unsubscribe', channel });
      },
    };
  }

  /**
   * Publishes over the connection, when the token's `publish` claim allows the channel. Waits for
   * the connection if there is none yet.
   *
   * @returns the server's answer; rejects with the server's `HeraldError` (`forbidden`…), or
   *          `unavailable` when the connection closed before the answer (the message may or may not
   *          have been published) or the connection is SSE, which carries no commands
   */
  publish(channel: string, event: string, data?: unknown, options: { key?: string; critical?: boolean } = {}): Promise<Published> {
    return new Promise((resolve, reject) => {
      if (!this.running) return reject(new HeraldError('unavailable', 'not connected: call connect() first'));
      const id = ++this.ids;
      const r: Request = { frame: { type: 'publish', id, channel, event, data, ...options }, resolve, reject };
      this.requests.set(id, r);
      if (this.up) this.send(id, r);
    });
  }

  private open(): void {
    const generation = ++this.generation;
    if (!this.running || globalThis.navigator?.onLine === false) return;
    if (!this.token && this.o.getToken) {
      Promise.resolve()
        .then(this.o.getToken)
        .then(
          (token) => {
            this.token = token;
            if (generation === this.generation && this.running) this.open();
          },
          (e: unknown) => generation === this.generation && this.closed('websocket', 1006, `getToken failed: ${e}`, true),
        );
      return;
    }
    const allowed = this.o.transports ?? ['websocket', 'sse'];
    const kind: TransportKind = !allowed.includes('websocket') || (this.preferSse && allowed.includes('sse')) ? 'sse' : 'websocket';
    this.opened = false;
    this.sseIdle = kind === 'sse' && !this.channels.size;
    if (this.sseIdle) return;
    const h: TransportHandlers = {
      open: () => {
        this.opened = true;
        if (kind === 'sse') this.connected('sse');
      },
      frame: (f) => this.frame(f),
      alive: () => this.watch(this.timeoutMs),
      close: (code, reason, opened) => this.closed(kind, code, reason, opened),
    };
    if (kind === 'websocket') {
      this.conn = openWebSocket(this.o.WebSocket ?? WebSocket, this.base.replace(/^http/, 'ws') + '/ws', this.token, h);
    } else {
      let query = '';
      const positions: [string, Position][] = [];
      for (const ch of this.channels.all()) {
        ch.pending = true;
        query += '&channel=' + encodeURIComponent(ch.name);
        if (ch.pos) positions.push([ch.name, ch.pos]);
      }
      if (positions.length) query += '&since=' + sseSince(positions);
      this.conn = openSse(this.o.fetch ?? fetch.bind(globalThis), this.base.replace(/^ws/, 'http') + '/sse?' + query.slice(1), this.token, h);
    }
    this.watch(this.o.openTimeoutMs ?? 10_000);
  }

  /** (Re)arms the dead-connection timer: a connection with no sign of life for `ms` is replaced. */
  private watch(ms: number): void {
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => {
      const t = this.conn;
      if (!t) return;
      t.close();
      this.closed(t.kind, 4002, `no frame from the server for ${ms} ms`, this.opened);
    }, ms);
  }

  /** The connection can carry subscriptions: subscribe every channel from its position, send waiting publishes. */
  private connected(kind: TransportKind): void {
    const was = this.up;
    this.up = true;
    this.backoff.reset();
    if (kind === 'websocket') {
      this.wsWorked = true;
      for (const ch of this.channels.all()) this.subscribeOnServer(ch);
    }
    for (const [id, r] of this.requests) if (!r.sent) this.send(id, r);
    if (!was) this.emit({ status: 'connected', transport: kind });
  }

  private send(id: number, r: Request): void {
    if (this.conn?.kind === 'websocket') {
      r.sent = true;
      this.conn.send(r.frame);
    } else {
      this.requests.delete(id);
      r.reject(new HeraldError('unavailable', 'publish needs a WebSocket; this connection is SSE'));
    }
  }

  /** Ends the current connection, if any, without a word to anyone; requests it carried fail. */
  private drop(): void {
    clearTimeout(this.watchdog);
    this.conn?.close();
    this.conn = undefined;
    this.up = false;
    this.sseIdle = false;
    for (const [id, r] of this.requests) {
      if (r.sent) {
        this.requests.delete(id);
        r.reject(new HeraldError('unavailable', 'the connection closed before the answer: the message may or may not have been published'));
      }
    }
  }

  private closed(kind: TransportKind, code: number, reason: string, opened: boolean): void {
    this.drop();
    if (!this.running) return;
    const allowed = this.o.transports ?? ['websocket', 'sse'];
    if (kind === 'sse' && code === 1008) {
      // one channel the token does not allow refuses the whole stream: drop that channel, keep the others
      const ch = this.channels.get(/subscribe to '(.+)'/.exec(reason)?.[1] ?? '');
      if (ch) {
        this.channels.refuse(ch, new HeraldError('forbidden', reason));
        return this.open();
      }
    }
    if (kind === 'websocket' && !opened && !this.wsWorked && allowed.includes('sse') && !this.preferSse) {
      // never opened: perhaps a proxy that blocks WebSockets; try SSE at once
      this.preferSse = true;
      return this.open();
    }
    if (kind === 'sse' && !opened) this.preferSse = false; // the server itself is unreachable: WebSocket first next time
    if (code === 1008 || (code === 4001 && !this.o.getToken)) {
      this.running = false;
      return this.emit({ status: 'disconnected', code, reason });
    }
    if (code === 4001) this.token = undefined; // a fresh one from getToken()
    if (globalThis.navigator?.onLine === false) return this.emit({ status: 'reconnecting', code, reason: 'offline' });
    const delayMs = this.backoff.next();
    this.emit({ status: 'reconnecting', code, reason, delayMs });
    clearTimeout(this.retry);
    this.retry = setTimeout(() => this.open(), delayMs);
  }

  private readonly offline = () => {
    if (!this.running || !this.conn) return;
    this.drop();
    clearTimeout(this.retry);
    this.emit({ status: 'reconnecting', reason: 'offline' });
  };

  private readonly online = () => {
    if (!this.running || this.conn) return;
    clearTimeout(this.retry);
    this.backoff.reset();
    this.open();
  };

  private frame(f: ServerFrame): void {
    switch (f.type) {
      case 'welcome':
        this.timeoutMs = f.timeoutMs;
        this.watch(this.timeoutMs);
        if (!this.up) this.connected('websocket');
        break;
      case 'subscribed':
        this.channels.subscribed(f);
        break;
      case 'message': {
        const { type, ...m } = f;
        this.channels.deliver([m]);
        break;
      }
      case 'batch':
        this.channels.deliver(unpack(f.channel, f.messages));
        break;
      case 'lag': {
        const ch = this.channels.lag(f.channel, f.skipped);
        if (ch) this.changed(ch); // resubscribe from the last offset delivered: history has what was skipped
        break;
      }
      case 'unsubscribed': {
        const ch = this.channels.get(f.channel);
        if (ch && f.reason) {
          this.channels.refuse(ch, new HeraldError(f.reason === 'forbidden' ? 'forbidden' : 'not_found', `the server ended the subscription to '${f.channel}': ${f.reason}`));
        }
        break;
      }
      case 'published':
      case 'error': {
        const r = f.id === undefined ? undefined : this.requests.get(f.id);
        if (r) {
          this.requests.delete(f.id!);
          if (f.type === 'published') r.resolve({ channel: f.channel, offset: f.offset, epoch: f.epoch, ts: f.ts });
          else r.reject(new HeraldError(f.code as ErrorCode, f.message));
          break;
        }
        if (f.type === 'error') {
          const error = new HeraldError(f.code as ErrorCode, f.message);
          const ch = this.channels.byRequest(f.id);
          if (ch) this.channels.refuse(ch, error);
          else this.handlers.error.forEach((l) => call(l, error));
        }
        break;
      }
      case 'ping':
        this.conn?.send({ type: 'pong' });
        break;
      case 'shutdown':
        this.backoff.after(f.reconnectAfterMs);
        break;
    }
  }

  /** A channel was added, or its filter changed, or it lagged: (re)subscribe it from its position. */
  private changed(ch: Channel): void {
    if (this.conn?.kind === 'sse' || this.sseIdle) this.reopen();
    else if (this.up) this.subscribeOnServer(ch);
  }

  private subscribeOnServer(ch: Channel): void {
    ch.pending = true;
    ch.req = ++this.ids;
    const events = filter(ch);
    this.conn!.send({ type: 'subscribe', id: ch.req, channel: ch.name, events: events && events.split('\n'), since: ch.pos });
  }

  /** SSE names its channels in the URL: a change reopens the stream from the current positions (once per task). */
  private reopen(): void {
    if (this.reopening) return;
    this.reopening = true;
    queueMicrotask(() => {
      this.reopening = false;
      if (!this.running || !(this.conn?.kind === 'sse' || this.sseIdle)) return;
      clearTimeout(this.watchdog);
      this.conn?.close();
      this.conn = undefined;
      this.open();
    });
  }

  private emit(e: StatusEvent): void {
    this.state = e;
    this.handlers.status.forEach((l) => call(l, e));
  }
}
