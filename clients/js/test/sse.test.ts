import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Herald, type HeraldError, type HeraldOptions, type Message, type StatusEvent } from '../src/herald.js';
import { FakeWebSocket, fakeFetch, msg, settle, useFakeTime } from './fakes.js';

/** Decodes an SSE position id (base64url of channel=epoch:offset;…), as the server does. */
const positions = (id: string | null) => (id ? Buffer.from(id, 'base64url').toString('utf8') : null);

function client(options: HeraldOptions = {}) {
  const sse = fakeFetch();
  const statuses: StatusEvent[] = [];
  const herald = new Herald({ url: 'http://herald.test', WebSocket: FakeWebSocket as unknown as typeof WebSocket, fetch: sse.fetch, ...options });
  herald.on('status', (s) => statuses.push(s));
  return { herald, sse, statuses };
}

beforeEach(() => {
  useFakeTime();
  FakeWebSocket.reset();
  vi.spyOn(Math, 'random').mockReturnValue(0.5);
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('SSE fallback', () => {
  it('uses /sse with the same API when a WebSocket cannot be opened', async () => {
    const { herald, sse, statuses } = client({ token: 'tok' });
    const got: Message[] = [];
    herald.subscribe('a', { onMessage: (m) => got.push(m) });
    herald.subscribe('b', { onMessage: (m) => got.push(m) });
    herald.connect();
    await settle();
    FakeWebSocket.last().drop(1006); // refused by a proxy: never opened
    await settle();
    const call = sse.last();
    expect(call.url.pathname).toBe('/sse');
    expect(call.url.searchParams.getAll('channel')).toEqual(['a', 'b']);
    expect(call.url.searchParams.get('token')).toBeNull();
    expect(call.headers.Authorization).toBe('Bearer tok');
    call.accept();
    await settle();
    expect(statuses.at(-1)).toEqual({ status: 'connected', transport: 'sse' });
    call.write('retry: 500\n\n');
    call.event({ type: 'subscribed', channel: 'a', epoch: 'ea', offset: 0, recovered: false });
    call.event({ type: 'subscribed', channel: 'b', epoch: 'eb', offset: 4, recovered: false });
    call.event({ type: 'message', channel: 'a', ...msg(1) });
    call.write(': ping\n\n');
    call.event({ type: 'message', channel: 'b', ...msg(5) });
    await settle();
    expect(got.map((m) => `${m.channel}${m.offset}`)).toEqual(['a1', 'b5']);
  });

  it('resumes every channel from its position after a drop, each message once', async () => {
    const { herald, sse } = client({ transports: ['sse'] });
    const got: number[] = [];
    herald.subscribe('a', { onMessage: (m) => got.push(m.offset) });
    herald.connect();
    await settle();
    sse.last().accept();
    await settle();
    sse.last().event({ type: 'subscribed', channel: 'a', epoch: 'ea', offset: 0, recovered: false });
    sse.last().event({ type: 'message', channel: 'a', ...msg(1) });
    sse.last().event({ type: 'message', channel: 'a', ...msg(2) });
    await settle();
    sse.last().end();
    await settle();
    await vi.advanceTimersByTimeAsync(250);
    const again = sse.last();
    expect(sse.calls).toHaveLength(2);
    expect(positions(again.url.searchParams.get('since'))).toBe('a=ea:2');
    again.accept();
    await settle();
    again.event({ type: 'subscribed', channel: 'a', epoch: 'ea', offset: 4, recovered: true });
    again.event({ type: 'message', channel: 'a', ...msg(2) });
    again.event({ type: 'message', channel: 'a', ...msg(3) });
    again.event({ type: 'message', channel: 'a', ...msg(4) });
    await settle();
    expect(got).toEqual([1, 2, 3, 4]);
  });

  it('reopens the stream from the current positions when a channel is added or removed', async () => {
    const { herald, sse } = client({ transports: ['sse'] });
    const a = herald.subscribe('a', {});
    herald.connect();
    await settle();
    sse.last().accept();
    await settle();
    sse.last().event({ type: 'subscribed', channel: 'a', epoch: 'ea', offset: 7, recovered: false });
    await settle();
    herald.subscribe('b', {});
    herald.subscribe('c', {});
    await settle();
    expect(sse.calls).toHaveLength(2); // one reopen for both
    expect(sse.calls[0]!.aborted).toBe(true);
    expect(sse.last().url.searchParams.getAll('channel')).toEqual(['a', 'b', 'c']);
    expect(positions(sse.last().url.searchParams.get('since'))).toBe('a=ea:7');
    a.unsubscribe();
    await settle();
    expect(sse.last().url.searchParams.getAll('channel')).toEqual(['b', 'c']);
  });

  it('recovers what a lag skipped by reopening from the last offset', async () => {
    const { herald, sse } = client({ transports: ['sse'] });
    const got: number[] = [];
    herald.subscribe('a', { onMessage: (m) => got.push(m.offset) });
    herald.connect();
    await settle();
    sse.last().accept();
    await settle();
    sse.last().event({ type: 'subscribed', channel: 'a', epoch: 'e', offset: 0, recovered: false });
    sse.last().event({ type: 'message', channel: 'a', ...msg(1) });
    sse.last().event({ type: 'lag', channel: 'a', skipped: 2 });
    sse.last().event({ type: 'message', channel: 'a', ...msg(4) });
    await settle();
    expect(positions(sse.last().url.searchParams.get('since'))).toBe('a=e:1');
    sse.last().accept();
    await settle();
    sse.last().event({ type: 'subscribed', channel: 'a', epoch: 'e', offset: 4, recovered: true });
    for (const o of [2, 3, 4]) sse.last().event({ type: 'message', channel: 'a', ...msg(o) });
    await settle();
    expect(got).toEqual([1, 2, 3, 4]);
  });

  it("reads the close event's code: 4001 with getToken reconnects with a fresh token", async () => {
    const tokens = ['one', 'two'];
    const { herald, sse, statuses } = client({ transports: ['sse'], getToken: async () => tokens.shift()! });
    herald.subscribe('a', {});
    herald.connect();
    await settle();
    expect(sse.last().headers.Authorization).toBe('Bearer one');
    sse.last().accept();
    await settle();
    sse.last().event({ type: 'close', code: 4001, reason: 'token expired' });
    await settle();
    expect(statuses.at(-1)).toMatchObject({ status: 'reconnecting', code: 4001, reason: 'token expired' });
    await vi.advanceTimersByTimeAsync(250);
    await settle();
    expect(sse.last().headers.Authorization).toBe('Bearer two');
  });

  it('treats a 401 refusal as 4001 and stops without getToken', async () => {
    const { herald, sse, statuses } = client({ transports: ['sse'], token: 'bad' });
    herald.subscribe('a', {});
    herald.connect();
    await settle();
    sse.last().refuse(401, 'unauthorized', 'invalid token');
    await settle();
    expect(statuses.at(-1)).toEqual({ status: 'disconnected', code: 4001, reason: 'invalid token' });
  });

  it('drops a forbidden channel and keeps the others', async () => {
    const { herald, sse } = client({ transports: ['sse'] });
    const errors: HeraldError[] = [];
    herald.subscribe('ok', {});
    herald.subscribe('secret', { onError: (e) => errors.push(e) });
    herald.connect();
    await settle();
    sse.last().refuse(403, 'forbidden', "not allowed to subscribe to 'secret'");
    await settle();
    expect(errors.map((e) => e.code)).toEqual(['forbidden']);
    expect(sse.last().url.searchParams.getAll('channel')).toEqual(['ok']);
  });

  it('replaces a stream that carries nothing, not even a ping, for timeoutMs', async () => {
    const { herald, sse, statuses } = client({ transports: ['sse'], timeoutMs: 12_000 });
    herald.subscribe('a', {});
    herald.connect();
    await settle();
    sse.last().accept();
    await settle();
    sse.last().write(': ping\n\n');
    await settle();
    await vi.advanceTimersByTimeAsync(11_999);
    expect(sse.last().aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(sse.calls[0]!.aborted).toBe(true);
    expect(statuses.at(-1)).toMatchObject({ status: 'reconnecting', code: 4002 });
  });

  it('goes back to WebSocket first when SSE cannot reach the server either', async () => {
    const { herald, sse } = client();
    herald.subscribe('a', {});
    herald.connect();
    await settle();
    FakeWebSocket.last().drop();
    await settle();
    sse.last().refuse(503, 'unavailable', 'the server is shutting down');
    await settle();
    await vi.advanceTimersByTimeAsync(250);
    expect(FakeWebSocket.all).toHaveLength(2);
  });

  it('rejects a publish over SSE as unavailable', async () => {
    const { herald, sse } = client({ transports: ['sse'] });
    herald.subscribe('a', {});
    herald.connect();
    await settle();
    sse.last().accept();
    await settle();
    await expect(herald.publish('a', 'e', {})).rejects.toMatchObject({ code: 'unavailable' });
  });
});
