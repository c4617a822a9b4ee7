import { vi } from 'vitest';

/** A scripted server side of a WebSocket: the test opens it, sends frames to the client, drops it. */
export class FakeWebSocket {
  static all: FakeWebSocket[] = [];
  onopen: ((e: unknown) => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  readonly sent: any[] = [];
  closedWith?: number;

  constructor(readonly url: string) {
    FakeWebSocket.all.push(this);
  }

  static reset(): void {
    FakeWebSocket.all = [];
  }

  static last(): FakeWebSocket {
    const ws = FakeWebSocket.all[FakeWebSocket.all.length - 1];
    if (!ws) throw new Error('no WebSocket was opened');
    return ws;
  }

  send(text: string): void {
    this.sent.push(JSON.parse(text));
  }

  close(code?: number): void {
    this.closedWith = code ?? 1005;
  }

  /** The frames the client sent of `type`. */
  of(type: string): any[] {
    return this.sent.filter((f) => f.type === type);
  }

  open(): void {
    this.onopen?.({});
  }

  receive(...frames: object[]): void {
    for (const f of frames) this.onmessage?.({ data: JSON.stringify(f) });
  }

  /** Opens and says welcome, as Herald does for an accepted connection. */
  welcome(timeoutMs = 30_000): void {
    this.open();
    this.receive({ type: 'welcome', connectionId: 'c1', heartbeatMs: 5000, timeoutMs, server: 'herald/test' });
  }

  /** Answers the last subscribe to `channel` the client sent. */
  subscribed(channel: string, epoch: string, offset: number, recovered = false, state?: object[]): void {
    const sub = this.of('subscribe').filter((f) => f.channel === channel).pop();
    if (!sub) throw new Error(`no subscribe to ${channel}`);
    this.receive({ type: 'subscribed', id: sub.id, channel, epoch, offset, recovered, ...(state ? { state } : {}) });
  }

  drop(code = 1006, reason = ''): void {
    this.onclose?.({ code, reason });
  }
}

/** One request the client made to `/sse`, answered by the test. */
export interface SseCall {
  url: URL;
  headers: Record<string, string>;
  aborted: boolean;
  /** Answers 200 and starts the stream. */
  accept(): void;
  /** Answers an HTTP error with Herald's JSON body. */
  refuse(status: number, code: string, message: string): void;
  /** Writes raw `text/event-stream` text. */
  write(text: string): void;
  /** Writes one event whose data is `frame`. */
  event(frame: { type: string } & Record<string, unknown>, id?: string): void;
  end(): void;
}

/** A fetch for `/sse` that records each call for the test to answer. */
export function fakeFetch(): { fetch: typeof fetch; calls: SseCall[]; last(): SseCall } {
  const calls: SseCall[] = [];
  const fn = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> =>
    new Promise((resolve, reject) => {
      let controller!: ReadableStreamDefaultController<Uint8Array>;
      const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
      const encoder = new TextEncoder();
      const call: SseCall = {
        url: new URL(String(input)),
        headers: { ...(init?.headers as Record<string, string>) },
        aborted: false,
        accept: () => resolve(new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } })),
        refuse: (status, code, message) =>
          resolve(new Response(JSON.stringify({ error: { code, message } }), { status, headers: { 'Content-Type': 'application/json' } })),
        write: (text) => controller.enqueue(encoder.encode(text)),
        event: (frame, id) => call.write(`${id ? `id: ${id}\n` : ''}event: ${frame.type}\ndata: ${JSON.stringify(frame)}\n\n`),
        end: () => controller.close(),
      };
      init?.signal?.addEventListener('abort', () => {
        call.aborted = true;
        const e = new DOMException('aborted', 'AbortError');
        reject(e);
        try {
          controller.error(e);
        } catch {
          // already closed
        }
      });
      calls.push(call);
    });
  return {
    fetch: fn as typeof fetch,
    calls,
    last: () => {
      const c = calls[calls.length - 1];
      if (!c) throw new Error('no /sse request was made');
      return c;
    },
  };
}

/** Fake timers for time, leaving setImmediate real so `settle()` can let promises and streams run. */
export function useFakeTime(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'requestAnimationFrame', 'cancelAnimationFrame'] });
}

/** Lets every pending promise, microtask and stream read run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
}

/** A message element as the server writes it. */
export function msg(offset: number, event = 'tick', data: unknown = { n: offset }, key?: string) {
  return { event, offset, ts: 1_700_000_000_000 + offset, ...(key ? { key } : {}), data };
}
