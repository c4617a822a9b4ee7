// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { HeraldProvider, useChannel, useHeraldStatus } from '../src/herald-react.js';
import { Herald } from '../src/herald.js';
import { FakeWebSocket, msg, settle, useFakeTime } from './fakes.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const options = { url: 'http://herald.test', WebSocket: FakeWebSocket as unknown as typeof WebSocket, transports: ['websocket' as const] };
let renders = 0;

function Scan({ channel = 'scan:1' }: { channel?: string }) {
  renders++;
  const { messages, state, last, reset } = useChannel<{ n: number }>(channel, { limit: 3 });
  return (
    <div>
      <p data-testid="offsets">{messages.map((m) => m.offset).join(',')}</p>
      <p data-testid="last">{last?.offset ?? '-'}</p>
      <p data-testid="state">{Object.entries(state).map(([k, m]) => `${k}=${m.offset}`).join(',')}</p>
      <p data-testid="reset">{reset ? `${reset.previous.offset}->${reset.offset}` : '-'}</p>
    </div>
  );
}

function Status() {
  const { status, transport } = useHeraldStatus();
  return <p data-testid="status">{status}{transport ? ` (${transport})` : ''}</p>;
}

const text = (id: string) => screen.getByTestId(id).textContent;

async function frames(): Promise<void> {
  await act(() => vi.advanceTimersByTimeAsync(20));
}

beforeEach(() => {
  useFakeTime();
  FakeWebSocket.reset();
  renders = 0;
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

it('shows the retained state, then messages, re-rendering at most once per frame', async () => {
  render(
    <HeraldProvider options={options}>
      <Status />
      <Scan />
    </HeraldProvider>,
  );
  await act(settle);
  const ws = FakeWebSocket.last();
  act(() => ws.welcome());
  expect(text('status')).toBe('connected (websocket)');
  act(() => ws.subscribed('scan:1', 'e', 2, false, [msg(1, 'phase'), msg(2, 'progress', { pct: 1 }, 'p')]));
  await frames();
  expect(text('state')).toBe('phase=1,p=2');
  const before = renders;
  act(() => {
    for (let o = 3; o <= 1000; o++) ws.receive({ type: 'message', channel: 'scan:1', ...msg(o, 'progress', { pct: o }, 'p') });
  });
  expect(renders).toBe(before); // nothing yet: the next frame renders
  await frames();
  expect(renders).toBe(before + 1);
  expect(text('offsets')).toBe('998,999,1000');
  expect(text('last')).toBe('1000');
  expect(text('state')).toBe('phase=1,p=1000');
});

it('shows a reset when the position could not be recovered', async () => {
  render(
    <HeraldProvider options={options}>
      <Scan />
    </HeraldProvider>,
  );
  await act(settle);
  act(() => FakeWebSocket.last().welcome());
  act(() => FakeWebSocket.last().subscribed('scan:1', 'e1', 5));
  act(() => FakeWebSocket.last().drop());
  await act(() => vi.advanceTimersByTimeAsync(30_000));
  act(() => FakeWebSocket.last().welcome());
  act(() => FakeWebSocket.last().subscribed('scan:1', 'e2', 0));
  await frames();
  expect(text('reset')).toBe('5->0');
});

it('opens one connection under strict mode and leaves none open after unmount', async () => {
  const { unmount } = render(
    <StrictMode>
      <HeraldProvider options={options}>
        <Status />
        <Scan />
      </HeraldProvider>
    </StrictMode>,
  );
  await act(settle);
  expect(FakeWebSocket.all).toHaveLength(1);
  const ws = FakeWebSocket.last();
  act(() => ws.welcome());
  expect(ws.of('subscribe')).toHaveLength(1);
  unmount();
  expect(ws.closedWith).toBe(1000);
  await act(() => vi.advanceTimersByTimeAsync(60_000));
  expect(FakeWebSocket.all).toHaveLength(1);
});

it('leaves no subscription behind on a shared client under strict mode', async () => {
  const herald = new Herald(options).connect();
  await settle();
  const ws = FakeWebSocket.last();
  ws.welcome();
  const { unmount, rerender } = render(
    <StrictMode>
      <HeraldProvider client={herald}>
        <Scan channel="a" />
      </HeraldProvider>
    </StrictMode>,
  );
  const subscribes = () => ws.of('subscribe').length - ws.of('unsubscribe').length;
  expect(subscribes()).toBe(1);
  rerender(
    <StrictMode>
      <HeraldProvider client={herald}>
        <Scan channel="b" />
      </HeraldProvider>
    </StrictMode>,
  );
  expect(ws.of('subscribe').at(-1).channel).toBe('b');
  expect(subscribes()).toBe(1);
  unmount();
  expect(subscribes()).toBe(0);
  expect(herald.status).toBe('connected'); // the application's client stays its own
  // a message after unmount reaches no component
  act(() => ws.receive({ type: 'message', channel: 'b', ...msg(1) }));
  await frames();
  herald.close();
});
