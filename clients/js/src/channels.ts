import type { HeraldError } from './codes.js';
import type { SubscribeOptions } from './options.js';
import { unpack, type Message, type Position, type ServerFrame } from './protocol.js';

/** One `subscribe()` of the application. */
export interface Listener {
  o: SubscribeOptions<any>;
}

/** A channel the application subscribed to, however many times: one subscription on the server. */
export interface Channel {
  name: string;
  listeners: Set<Listener>;
  /** The last position delivered, or the subscription's start; sent as `since` on every resubscribe. */
  pos?: Position;
  /** A subscribe is under way: its messages are dropped until its `subscribed` (they come again after it). */
  pending: boolean;
  /** The id of the latest subscribe sent (WebSocket). */
  req?: number;
  /** A retained channel's state (latest per key), kept for listeners that come later. */
  state?: Map<string, Message>;
  /** The offset a lag's catch-up was asked from: a second lag there, with nothing delivered since, is not asked again. */
  lagFrom?: number;
}

/**
 * The application's subscriptions, by channel, and each message's fate: where each channel stands,
 * which messages are new, which listeners get them. Knows nothing of the connection.
 */
export class Channels {
  private readonly map = new Map<string, Channel>();

  /** @param unheard where an error goes when its listener has no `onError` */
  constructor(private readonly unheard: (e: HeraldError) => void) {}

  get(name: string): Channel | undefined {
    return this.map.get(name);
  }

  all(): IterableIterator<Channel> {
    return this.map.values();
  }

  get size(): number {
    return this.map.size;
  }

  /** Adds a listener; returns its channel when that must be (re)subscribed: new, or its filter changed. */
  add(name: string, listener: Listener): Channel | undefined {
    const ch = this.map.get(name);
    if (!ch) {
      const since = listener.o.since;
      const added: Channel = { name, listeners: new Set([listener]), pending: false, pos: since && { epoch: since.epoch, offset: since.offset } };
      this.map.set(name, added);
      return added;
    }
    const before = filter(ch);
    ch.listeners.add(listener);
    if (ch.state) call(listener.o.onState, [...ch.state.values()].filter((m) => wants(listener, m)));
    return filter(ch) !== before ? ch : undefined;
  }

  /** Removes a listener: `gone` when it was its channel's last, `changed` when the channel's filter changed. */
  remove(name: string, listener: Listener): 'gone' | 'changed' | undefined {
    const ch = this.map.get(name);
    if (!ch) return undefined;
    const before = filter(ch);
    if (!ch.listeners.delete(listener)) return undefined;
    if (!ch.listeners.size) {
      this.map.delete(name);
      return 'gone';
    }
    return filter(ch) !== before ? 'changed' : undefined;
  }

  /** The channel whose latest subscribe had this id. */
  byRequest(id: number | undefined): Channel | undefined {
    return id === undefined ? undefined : [...this.map.values()].find((c) => c.req === id);
  }

  /** The answer to a subscribe: where the subscription starts, whether it recovered, the retained state. */
  subscribed(f: Extract<ServerFrame, { type: 'subscribed' }>): void {
    const ch = this.map.get(f.channel);
    if (!ch || !ch.pending || (f.id !== undefined && f.id !== ch.req)) return; // an answer to an earlier subscribe
    ch.pending = false;
    const previous = ch.pos;
    if (f.recovered && previous?.epoch === f.epoch) return; // what was missed follows
    ch.pos = { epoch: f.epoch, offset: f.offset };
    if (previous) {
      for (const l of ch.listeners) call(l.o.onReset, { channel: ch.name, epoch: f.epoch, offset: f.offset, previous });
    }
    if (f.state || ch.state) {
      const state = unpack(f.channel, f.state ?? []);
      ch.state = new Map(state.map((m) => [m.key ?? m.event, m]));
      for (const l of ch.listeners) call(l.o.onState, state.filter((m) => wants(l, m)));
    }
  }

  /** Hands messages to their listeners, each once: not while a subscribe is under way, not at or below the position. */
  deliver(messages: Message[]): void {
    for (const m of messages) {
      const ch = this.map.get(m.channel);
      if (!ch || ch.pending || !ch.pos || m.offset <= ch.pos.offset) continue;
      ch.pos.offset = m.offset;
      ch.state?.set(m.key ?? m.event, m);
      for (const l of ch.listeners) if (wants(l, m)) call(l.o.onMessage, m);
    }
  }

  /**
   * The server skipped messages of a channel: its listeners are told; returns it, to resubscribe
   * from its position (history has what was skipped). Not when the catch-up asked for last time
   * lagged again before delivering anything: asking again would loop (an earlier Herald kept the
   * newest of a catch-up larger than its buffer; current ones page it). Then the gap stays, told by onLag.
   */
  lag(name: string, skipped: number): Channel | undefined {
    const ch = this.map.get(name);
    if (!ch) return undefined;
    ch.listeners.forEach((l) => call(l.o.onLag, skipped));
    const at = ch.pos?.offset;
    if (at !== undefined && ch.lagFrom === at) return undefined;
    ch.lagFrom = at;
    return ch;
  }

  /** The server refused or ended a subscription: its listeners are told, and it is gone. */
  refuse(ch: Channel, error: HeraldError): void {
    this.map.delete(ch.name);
    for (const l of ch.listeners) {
      if (l.o.onError) call(l.o.onError, error);
      else this.unheard(error);
    }
  }
}

/** The events a channel's subscription asks the server for: undefined for all, else the union, one per line. */
export function filter(ch: Channel): string | undefined {
  const events = new Set<string>();
  for (const l of ch.listeners) {
    if (!l.o.events) return undefined;
    l.o.events.forEach((e) => events.add(e));
  }
  return [...events].sort().join('\n');
}

function wants(l: Listener, m: Message): boolean {
  return !l.o.events || l.o.events.includes(m.event);
}

/** Calls the application; what it throws is reported (uncaught, in a later task) without breaking the client. */
export function call<A>(fn: ((a: A) => void) | undefined, arg: A): void {
  try {
    fn?.(arg);
  } catch (e) {
    setTimeout(() => {
      throw e;
    });
  }
}
