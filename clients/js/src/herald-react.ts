/**
 * React bindings (React 18 or later, a peer dependency): `HeraldProvider`, `useChannel`,
 * `useHeraldStatus`. Safe under strict mode's double mount: a provider's client opens one
 * connection, and every hook's subscription ends with its component.
 */
import { createContext, createElement, useContext, useEffect, useState, type ReactNode } from 'react';
import { Herald, type HeraldError, type HeraldOptions, type Message, type Reset, type StatusEvent } from './herald.js';

const HeraldContext = createContext<Herald | null>(null);

export interface HeraldProviderProps {
  /** A client you made (you connect and close it)… */
  client?: Herald;
  /** …or options for one the provider makes, connects on mount and closes on unmount (read once). */
  options?: HeraldOptions;
  children?: ReactNode;
}

export function HeraldProvider({ client, options, children }: HeraldProviderProps) {
  // a new Herald opens nothing until connect(), so strict mode's second initializer call leaks nothing
  const [own] = useState(() => (client ? null : new Herald(options)));
  useEffect(() => {
    if (!own) return;
    own.connect();
    return () => own.close();
  }, [own]);
  return createElement(HeraldContext.Provider, { value: client ?? own }, children);
}

/** The provider's client. @throws Error outside a `HeraldProvider` */
export function useHerald(): Herald {
  const herald = useContext(HeraldContext);
  if (!herald) throw new Error('useHerald, useChannel and useHeraldStatus need a <HeraldProvider> above them');
  return herald;
}

/** The connection's status, re-rendering on every change. */
export function useHeraldStatus(): StatusEvent {
  const herald = useHerald();
  const [status, setStatus] = useState<StatusEvent>(() => ({ status: herald.status }));
  useEffect(() => {
    setStatus((s) => (s.status === herald.status ? s : { status: herald.status }));
    return herald.on('status', setStatus);
  }, [herald]);
  return status;
}

export interface UseChannelOptions {
  /** Only these events. Default: all. */
  events?: string[];
  /** How many of the latest messages `messages` keeps. Default 100. */
  limit?: number;
}

export interface ChannelView<T = unknown> {
  /** The latest messages (at most `limit`), oldest first. */
  messages: Message<T>[];
  /** The latest message of each key (the key defaults to the event), from the retained state on. */
  state: Record<string, Message<T>>;
  last?: Message<T>;
  /** The last time messages could not be recovered (see `onReset`): reload what depends on the missed ones. */
  reset?: Reset;
  /** The server refused or ended the subscription. */
  error?: HeraldError;
}

const EMPTY: ChannelView<any> = { messages: [], state: {} };

/**
 * Subscribes the component to `channel` (none when it is empty) and returns its latest messages and
 * state. Messages are taken as they come and rendered at most once per animation frame, however
 * fast they arrive.
 */
export function useChannel<T = unknown>(channel: string | null | undefined, options: UseChannelOptions = {}): ChannelView<T> {
  const herald = useHerald();
  const [view, setView] = useState<ChannelView<T>>(EMPTY);
  const events = options.events?.join('\n');
  const limit = options.limit ?? 100;
  useEffect(() => {
    if (!channel) return setView(EMPTY);
    let messages: Message<T>[] = [];
    let state: Record<string, Message<T>> = {};
    let queued: Message<T>[] = [];
    let extra: Pick<ChannelView<T>, 'reset' | 'error'> = {};
    let frame: number | undefined;
    // the queue goes into new objects (a rendered view is never changed)
    const apply = () => {
      if (!queued.length) return;
      messages = messages.concat(queued).slice(-limit);
      state = { ...state };
      for (const m of queued) state[m.key ?? m.event] = m;
      queued = [];
    };
    const render = () => {
      frame = undefined;
      apply();
      setView({ messages, state, last: messages[messages.length - 1], ...extra });
    };
    const schedule = () => {
      frame ??= requestFrame(render);
    };
    setView(EMPTY);
    const subscription = herald.subscribe<T>(channel, {
      events: events?.split('\n'),
      onMessage(m) {
        queued.push(m);
        if (queued.length > limit) apply(); // a hidden tab gets no frames: keep the queue bounded
        schedule();
      },
      onState(s) {
        apply();
        state = {};
        for (const m of s) state[m.key ?? m.event] = m;
        schedule();
      },
      onReset(reset) {
        extra = { ...extra, reset };
        schedule();
      },
      onError(error) {
        extra = { ...extra, error };
        schedule();
      },
    });
    return () => {
      subscription.unsubscribe();
      if (frame !== undefined) cancelFrame(frame);
    };
  }, [herald, channel, events, limit]);
  return view;
}

const frames = typeof requestAnimationFrame === 'function';

const requestFrame = (cb: () => void): number => (frames ? requestAnimationFrame(cb) : (setTimeout(cb, 16) as unknown as number));

const cancelFrame = (id: number) => (frames ? cancelAnimationFrame(id) : clearTimeout(id));
