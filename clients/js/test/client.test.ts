import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Herald, HeraldError, type HeraldOptions, type Message, type StatusEvent } from '../src/herald.js';
import { FakeWebSocket, msg, settle, useFakeTime } from './fakes.js';

function client(options: HeraldOptions = {}) {
  const statuses: StatusEvent[] = [];
  const herald = new Herald({ url: 'http://herald.test', WebSocket: FakeWebSocket as unknown as typeof WebSocket, transports: ['websocket'], ...options });
  herald.on('status', (s) => statuses.push(s));
  return { herald, statuses };
}

/** A connected client whose first socket said welcome. */
async function connected(options: HeraldOptions = {}) {
  const c = client(options);
  c.herald.connect();
  await settle();
  const ws = FakeWebSocket.last();
  ws.welcome();
  return { ...c, ws };
}

const offsets = (ms: Message[]) => ms.map((m) => m.offset);

beforeEach(() => {
  useFakeTime();
  FakeWebSocket.reset();
  vi.spyOn(Math, 'random').mockReturnValue(0.5);
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('connecting', () => {
  it('opens /ws, sends the token in a connect frame and reports connecting then connected', async () => {
    const { herald, statuses } = client({ token: 't0k3n' });
    herald.connect();
    expect(statuses).toEqual([{ status: 'connecting' }]);
    await settle();
    const ws = FakeWebSocket.last();
    expect(ws.url).toBe('ws://herald.test/ws');
    ws.welcome();
    expect(ws.sent[0]).toEqual({ type: 'connect', token: 't0k3n' });
    expect(statuses.map((s) => s.status)).toEqual(['connecting', 'connected']);
    expect(statuses[1]!.transport).toBe('websocket');
    expect(herald.status).toBe('connected');
  });

  it('opens no socket when closed in the same task it was connected in (React strict mode)', async () => {
    const { herald } = client();
    herald.connect();
    herald.close();
    herald.connect();
    await settle();
    expect(FakeWebSocket.all).toHaveLength(1);
  });

  it('asks getToken for the first token', async () => {
    const getToken = vi.fn().mockResolvedValue('fresh');
    const { herald } = client({ getToken });
    herald.connect();
    await settle();
    FakeWebSocket.last().open();
    expect(FakeWebSocket.last().sent[0]).toEqual({ type: 'connect', token: 'fresh' });
    expect(getToken).toHaveBeenCalledTimes(1);
  });

  it('answers the server ping with a pong', async () => {
    const { ws } = await connected();
    ws.receive({ type: 'ping' });
    expect(ws.of('pong')).toHaveLength(1);
  });
});

describe('reconnecting', () => {
  it('backs off with full jitter between attempts and reports each with its code and delay', async () => {
    const { statuses } = await connected();
    FakeWebSocket.last().drop(1011, 'internal error');
    expect(statuses.at(-1)).toEqual({ status: 'reconnecting', code: 1011, reason: 'internal error', delayMs: 250 });
    await vi.advanceTimersByTimeAsync(249);
    expect(FakeWebSocket.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeWebSocket.all).toHaveLength(2);
    FakeWebSocket.last().drop(); // fails to connect: the ceiling doubles
    expect(statuses.at(-1)).toMatchObject({ status: 'reconnecting', code: 1006, delayMs: 500 });
    await vi.advanceTimersByTimeAsync(500);
    FakeWebSocket.last().drop();
    expect(statuses.at(-1)).toMatchObject({ delayMs: 1000 });
    await vi.advanceTimersByTimeAsync(1000);
    FakeWebSocket.last().welcome(); // a success resets the backoff
    FakeWebSocket.last().drop();
    expect(statuses.at(-1)).toMatchObject({ delayMs: 250 });
  });

  it("waits the server's reconnectAfterMs after a shutdown", async () => {
    const { ws, statuses } = await connected();
    ws.receive({ type: 'shutdown', reconnectAfterMs: 2750 });
    ws.drop(1001, 'server shutdown');
    expect(statuses.at(-1)).toEqual({ status: 'reconnecting', code: 1001, reason: 'server shutdown', delayMs: 2750 });
    await vi.advanceTimersByTimeAsync(2749);
    expect(FakeWebSocket.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeWebSocket.all).toHaveLength(2);
  });

  it('does not reconnect after 1008', async () => {
    const { ws, statuses, herald } = await connected();
    ws.drop(1008, 'not reading');
    expect(statuses.at(-1)).toEqual({ status: 'disconnected', code: 1008, reason: 'not reading' });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(FakeWebSocket.all).toHaveLength(1);
    expect(herald.status).toBe('disconnected');
  });

  it('does not reconnect after 4001 with a fixed token', async () => {
    const { ws, statuses } = await connected({ token: 'old' });
    ws.drop(4001, 'token expired');
    expect(statuses.at(-1)).toEqual({ status: 'disconnected', code: 4001, reason: 'token expired' });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(FakeWebSocket.all).toHaveLength(1);
  });

  it('reconnects after 4001 with a fresh token from getToken, and not before', async () => {
    const tokens = ['first', 'second'];
    const getToken = vi.fn(async () => tokens.shift()!);
    const { ws } = await connected({ getToken });
    ws.drop(1006); // an ordinary drop keeps the token
    await vi.advanceTimersByTimeAsync(250);
    FakeWebSocket.last().welcome();
    expect(FakeWebSocket.last().sent[0]).toEqual({ type: 'connect', token: 'first' });
    FakeWebSocket.last().drop(4001, 'token expired');
    await vi.advanceTimersByTimeAsync(250);
    await settle();
    FakeWebSocket.last().open();
    expect(FakeWebSocket.last().sent[0]).toEqual({ type: 'connect', token: 'second' });
    expect(getToken).toHaveBeenCalledTimes(2);
  });

  it('replaces a connection from which no frame came for the welcome timeoutMs', async () => {
    const { herald, statuses } = client();
    herald.connect();
    await settle();
    const ws = FakeWebSocket.last();
    ws.welcome(10_000);
    await vi.advanceTimersByTimeAsync(9_000);
    ws.receive({ type: 'ping' }); // a sign of life restarts the count
    await vi.advanceTimersByTimeAsync(9_999);
    expect(ws.closedWith).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(ws.closedWith).toBe(1000);
    expect(statuses.at(-1)).toMatchObject({ status: 'reconnecting', code: 4002, reason: 'no frame from the server for 10000 ms' });
    await vi.advanceTimersByTimeAsync(250);
    expect(FakeWebSocket.all).toHaveLength(2);
  });

  it('gives up on a socket that does not open within openTimeoutMs', async () => {
    const { herald, statuses } = client({ openTimeoutMs: 5000 });
    herald.connect();
    await settle();
    await vi.advanceTimersByTimeAsync(5000);
    expect(FakeWebSocket.last().closedWith).toBe(1000);
    expect(statuses.at(-1)).toMatchObject({ status: 'reconnecting', code: 4002 });
  });

  it('stops reconnecting on close()', async () => {
    const { herald, ws, statuses } = await connected();
    ws.drop();
    herald.close();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeWebSocket.all).toHaveLength(1);
    expect(statuses.at(-1)).toMatchObject({ status: 'disconnected', code: 1000 });
  });
});

describe('subscriptions', () => {
  it('subscribes on welcome and unpacks batches in order', async () => {
    const { herald, ws } = await connected();
    const got: Message[] = [];
    herald.subscribe('scan:1', { onMessage: (m) => got.push(m) });
    expect(ws.of('subscribe')).toEqual([{ type: 'subscribe', id: expect.any(Number), channel: 'scan:1' }]);
    ws.subscribed('scan:1', 'e1', 0);
    ws.receive({ type: 'message', channel: 'scan:1', ...msg(1) });
    ws.receive({ type: 'batch', channel: 'scan:1', messages: [msg(2), msg(3, 'progress', { pct: 5 }, 'p'), msg(5)] });
    expect(got).toEqual([
      { channel: 'scan:1', event: 'tick', offset: 1, ts: 1_700_000_000_001, data: { n: 1 } },
      { channel: 'scan:1', event: 'tick', offset: 2, ts: 1_700_000_000_002, data: { n: 2 } },
      { channel: 'scan:1', event: 'progress', offset: 3, ts: 1_700_000_000_003, key: 'p', data: { pct: 5 } },
      { channel: 'scan:1', event: 'tick', offset: 5, ts: 1_700_000_000_005, data: { n: 5 } },
    ]);
  });

  it('resubscribes every channel from its last offset on reconnect and delivers each message once', async () => {
    const { herald, ws } = await connected();
    const a: Message[] = [];
    const b: Message[] = [];
    herald.subscribe('a', { onMessage: (m) => a.push(m) });
    herald.subscribe('b', { onMessage: (m) => b.push(m) });
    ws.subscribed('a', 'ea', 10);
    ws.subscribed('b', 'eb', 0);
    ws.receive({ type: 'batch', channel: 'a', messages: [msg(11), msg(12)] }, { type: 'message', channel: 'b', ...msg(1) });
    ws.drop();
    await vi.advanceTimersByTimeAsync(250);
    const ws2 = FakeWebSocket.last();
    ws2.welcome();
    expect(ws2.of('subscribe').map(({ channel, since }) => ({ channel, since }))).toEqual([
      { channel: 'a', since: { epoch: 'ea', offset: 12 } },
      { channel: 'b', since: { epoch: 'eb', offset: 1 } },
    ]);
    ws2.subscribed('a', 'ea', 14, true);
    ws2.subscribed('b', 'eb', 1, true);
    // the catch-up, overlapping what was seen (a server may repeat the boundary), then live
    ws2.receive({ type: 'batch', channel: 'a', messages: [msg(12), msg(13), msg(14)] }, { type: 'message', channel: 'a', ...msg(15) });
    expect(offsets(a)).toEqual([11, 12, 13, 14, 15]);
    expect(offsets(b)).toEqual([1]);
  });

  it('starts a subscription after a given position: what follows it, then live; a lost one as a reset', async () => {
    const { herald, ws } = await connected();
    const got: Message[] = [];
    const resets: string[] = [];
    herald.subscribe('scan:1', { since: { epoch: 'e1', offset: 7 }, onMessage: (m) => got.push(m) });
    expect(ws.of('subscribe').map(({ channel, since }) => ({ channel, since }))).toEqual([{ channel: 'scan:1', since: { epoch: 'e1', offset: 7 } }]);
    ws.subscribed('scan:1', 'e1', 9, true);
    ws.receive({ type: 'batch', channel: 'scan:1', messages: [msg(7), msg(8), msg(9)] }, { type: 'message', channel: 'scan:1', ...msg(10) });
    expect(offsets(got)).toEqual([8, 9, 10]);

    herald.subscribe('scan:2', { since: { epoch: 'old', offset: 3 }, onReset: (r) => resets.push(`${r.previous.epoch}:${r.previous.offset} -> ${r.epoch}:${r.offset}`) });
    ws.subscribed('scan:2', 'new', 5, false);
    expect(resets).toEqual(['old:3 -> new:5']);
  });

  it('tells recovered: false as a reset, with the retained state that follows it', async () => {
    const { herald, ws } = await connected();
    const seen: string[] = [];
    herald.subscribe('settings:1', {
      onMessage: (m) => seen.push(`message ${m.offset}`),
      onState: (s) => seen.push(`state ${offsets(s)}`),
      onReset: (r) => seen.push(`reset ${r.previous.epoch}:${r.previous.offset} -> ${r.epoch}:${r.offset}`),
    });
    ws.subscribed('settings:1', 'e1', 3, false, [msg(2, 'theme', 'dark'), msg(3, 'lang', 'fr')]);
    ws.receive({ type: 'message', channel: 'settings:1', ...msg(4, 'theme', 'light') });
    ws.drop();
    await vi.advanceTimersByTimeAsync(250);
    const ws2 = FakeWebSocket.last();
    ws2.welcome();
    ws2.subscribed('settings:1', 'e2', 1, false, [msg(1, 'theme', 'blue')]);
    ws2.receive({ type: 'message', channel: 'settings:1', ...msg(2, 'lang', 'de') });
    expect(seen).toEqual(['state 2,3', 'message 4', 'reset e1:4 -> e2:1', 'state 1', 'message 2']);
  });

  it('drops a second copy of a message, and messages of a subscription not yet answered', async () => {
    const { herald, ws } = await connected();
    const got: Message[] = [];
    herald.subscribe('a', { onMessage: (m) => got.push(m) });
    ws.receive({ type: 'message', channel: 'a', ...msg(1) }); // before its subscribed: not this subscription's
    ws.subscribed('a', 'e', 1);
    ws.receive({ type: 'message', channel: 'a', ...msg(2) }, { type: 'message', channel: 'a', ...msg(2) });
    expect(offsets(got)).toEqual([2]);
  });

  it('recovers what a lag skipped by resubscribing from the last offset', async () => {
    const { herald, ws } = await connected();
    const got: Message[] = [];
    const lags: number[] = [];
    herald.subscribe('a', { onMessage: (m) => got.push(m), onLag: (n) => lags.push(n) });
    ws.subscribed('a', 'e', 0);
    ws.receive({ type: 'batch', channel: 'a', messages: [msg(1), msg(2)] });
    ws.receive({ type: 'lag', channel: 'a', skipped: 3 });
    expect(lags).toEqual([3]);
    expect(ws.of('subscribe').at(-1)).toMatchObject({ channel: 'a', since: { epoch: 'e', offset: 2 } });
    // live messages after the gap, before the new subscription's answer: they come again in the catch-up
    ws.receive({ type: 'message', channel: 'a', ...msg(6) });
    ws.subscribed('a', 'e', 6, true);
    ws.receive({ type: 'batch', channel: 'a', messages: [msg(3), msg(4), msg(5), msg(6)] }, { type: 'message', channel: 'a', ...msg(7) });
    expect(offsets(got)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('does not ask again for a catch-up that lagged before delivering anything (a gap larger than the server\'s buffer)', async () => {
    const { herald, ws } = await connected();
    const got: Message[] = [];
    const lags: number[] = [];
    herald.subscribe('a', { onMessage: (m) => got.push(m), onLag: (n) => lags.push(n) });
    ws.subscribed('a', 'e', 0);
    ws.receive({ type: 'batch', channel: 'a', messages: [msg(1), msg(2)] });
    ws.receive({ type: 'lag', channel: 'a', skipped: 500 });
    const asked = ws.of('subscribe').length;
    ws.subscribed('a', 'e', 600, true);
    // the catch-up itself overflowed: a lag first, then the newest messages
    ws.receive({ type: 'lag', channel: 'a', skipped: 400 }, { type: 'batch', channel: 'a', messages: [msg(599), msg(600)] });
    expect(ws.of('subscribe').length).toBe(asked);
    expect(lags).toEqual([500, 400]);
    expect(offsets(got)).toEqual([1, 2, 599, 600]);
    // a later lag, after progress, is recovered again
    ws.receive({ type: 'lag', channel: 'a', skipped: 2 });
    expect(ws.of('subscribe').at(-1)).toMatchObject({ channel: 'a', since: { epoch: 'e', offset: 600 } });
  });

  it('shares one server subscription between listeners, filtering each by its events', async () => {
    const { herald, ws } = await connected();
    const all: string[] = [];
    const done: string[] = [];
    const s1 = herald.subscribe('t', { events: ['done'], onMessage: (m) => done.push(m.event) });
    expect(ws.of('subscribe').at(-1)).toMatchObject({ channel: 't', events: ['done'] });
    ws.subscribed('t', 'e', 0);
    herald.subscribe('t', { onMessage: (m) => all.push(m.event) });
    expect(ws.of('subscribe').at(-1)).toEqual({ type: 'subscribe', id: expect.any(Number), channel: 't', since: { epoch: 'e', offset: 0 } });
    ws.subscribed('t', 'e', 0, true);
    ws.receive({ type: 'batch', channel: 't', messages: [msg(1, 'started'), msg(2, 'done')] });
    expect(all).toEqual(['started', 'done']);
    expect(done).toEqual(['done']);
    s1.unsubscribe();
    expect(ws.of('unsubscribe')).toEqual([]);
  });

  it('gives a later listener of a retained channel the current state', async () => {
    const { herald, ws } = await connected();
    herald.subscribe('s', {});
    ws.subscribed('s', 'e', 1, false, [msg(1, 'theme', 'dark')]);
    ws.receive({ type: 'message', channel: 's', ...msg(2, 'theme', 'light') });
    const state = vi.fn();
    herald.subscribe('s', { onState: state });
    expect(state).toHaveBeenCalledWith([{ channel: 's', ...msg(2, 'theme', 'light') }]);
  });

  it('sends unsubscribe when the last listener goes', async () => {
    const { herald, ws } = await connected();
    const a = herald.subscribe('a', {});
    const b = herald.subscribe('a', {});
    a.unsubscribe();
    expect(ws.of('unsubscribe')).toEqual([]);
    b.unsubscribe();
    expect(ws.of('unsubscribe')).toEqual([{ type: 'unsubscribe', channel: 'a' }]);
  });

  it('tells a refused subscription as a typed error and forgets it', async () => {
    const { herald, ws } = await connected();
    const errors: HeraldError[] = [];
    herald.subscribe('secret:1', { onError: (e) => errors.push(e) });
    const { id } = ws.of('subscribe')[0];
    ws.receive({ type: 'error', id, code: 'forbidden', message: "not allowed to subscribe to 'secret:1'" });
    expect(errors[0]).toBeInstanceOf(HeraldError);
    expect(errors[0]).toMatchObject({ code: 'forbidden', message: "not allowed to subscribe to 'secret:1'" });
    ws.drop();
    await vi.advanceTimersByTimeAsync(250);
    FakeWebSocket.last().welcome();
    expect(FakeWebSocket.last().of('subscribe')).toEqual([]);
  });

  it('refuses an invalid channel name at once', () => {
    const { herald } = client();
    expect(() => herald.subscribe('no spaces', {})).toThrow(HeraldError);
    expect(() => herald.subscribe('a$b', {})).toThrow(HeraldError);
    expect(() => herald.subscribe('$', {})).toThrow(HeraldError);
    expect(() => herald.subscribe('x'.repeat(256), {})).toThrow(HeraldError);
  });

  it('takes the names of system channels, which admin tokens may subscribe to', () => {
    const { herald } = client();
    expect(() => herald.subscribe('$herald:stats', {})).not.toThrow();
    expect(() => herald.subscribe('x'.repeat(255), {})).not.toThrow();
  });

  it('keeps delivering when a listener throws', async () => {
    const { herald, ws } = await connected();
    const got: number[] = [];
    herald.subscribe('a', {
      onMessage: (m) => {
        if (m.offset === 1) throw new Error('app bug');
      },
    });
    herald.subscribe('a', { onMessage: (m) => got.push(m.offset) });
    ws.subscribed('a', 'e', 0);
    ws.receive({ type: 'batch', channel: 'a', messages: [msg(1), msg(2)] });
    expect(got).toEqual([1, 2]);
    expect(() => vi.runOnlyPendingTimers()).toThrow('app bug'); // reported, in a task of its own
  });
});

describe('publish', () => {
  it('resolves with the server answer', async () => {
    const { herald, ws } = await connected({ token: 't' });
    const p = herald.publish('chat:1', 'said', { text: 'hi' }, { key: 'k' });
    const sent = ws.of('publish')[0];
    expect(sent).toEqual({ type: 'publish', id: expect.any(Number), channel: 'chat:1', event: 'said', data: { text: 'hi' }, key: 'k' });
    ws.receive({ type: 'published', id: sent.id, channel: 'chat:1', offset: 7, epoch: 'e', ts: 5 });
    await expect(p).resolves.toEqual({ channel: 'chat:1', offset: 7, epoch: 'e', ts: 5 });
  });

  it("rejects with the server's error as a HeraldError", async () => {
    const { herald, ws } = await connected();
    const p = herald.publish('chat:1', 'said', {});
    ws.receive({ type: 'error', id: ws.of('publish')[0].id, code: 'forbidden', message: "not allowed to publish to 'chat:1'" });
    await expect(p).rejects.toMatchObject({ name: 'HeraldError', code: 'forbidden' });
  });

  it('waits for the connection, and fails as unavailable when it drops before the answer', async () => {
    const { herald } = client();
    herald.connect();
    const p = herald.publish('a', 'e', 1);
    await settle();
    const ws = FakeWebSocket.last();
    expect(ws.of('publish')).toEqual([]);
    ws.welcome();
    expect(ws.of('publish')).toHaveLength(1);
    ws.drop();
    await expect(p).rejects.toMatchObject({ code: 'unavailable' });
  });
});
