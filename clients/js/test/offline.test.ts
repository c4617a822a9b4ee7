// @vitest-environment jsdom
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { Herald, type StatusEvent } from '../src/herald.js';
import { FakeWebSocket, settle, useFakeTime } from './fakes.js';

let online = true;

beforeEach(() => {
  useFakeTime();
  FakeWebSocket.reset();
  online = true;
  vi.spyOn(navigator, 'onLine', 'get').mockImplementation(() => online);
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function goOffline() {
  online = false;
  window.dispatchEvent(new Event('offline'));
}

function goOnline() {
  online = true;
  window.dispatchEvent(new Event('online'));
}

it("closes on the browser's offline event, waits without retrying, and reconnects at once when online", async () => {
  const statuses: StatusEvent[] = [];
  const herald = new Herald({ url: 'http://herald.test', WebSocket: FakeWebSocket as unknown as typeof WebSocket });
  herald.on('status', (s) => statuses.push(s));
  herald.subscribe('a', {});
  herald.connect();
  await settle();
  FakeWebSocket.last().welcome();
  goOffline();
  expect(FakeWebSocket.last().closedWith).toBe(1000);
  expect(statuses.at(-1)).toEqual({ status: 'reconnecting', reason: 'offline' });
  await vi.advanceTimersByTimeAsync(120_000);
  expect(FakeWebSocket.all).toHaveLength(1);
  goOnline();
  await settle();
  expect(FakeWebSocket.all).toHaveLength(2);
  FakeWebSocket.last().welcome();
  expect(FakeWebSocket.last().of('subscribe')).toHaveLength(1);
  herald.close();
});

it('does not retry while offline after a drop, and stops listening once closed', async () => {
  const herald = new Herald({ url: 'http://herald.test', WebSocket: FakeWebSocket as unknown as typeof WebSocket });
  herald.connect();
  await settle();
  FakeWebSocket.last().welcome();
  online = false;
  FakeWebSocket.last().drop();
  expect(herald.status).toBe('reconnecting');
  await vi.advanceTimersByTimeAsync(120_000);
  expect(FakeWebSocket.all).toHaveLength(1);
  herald.close();
  goOnline();
  await settle();
  expect(FakeWebSocket.all).toHaveLength(1);
});
