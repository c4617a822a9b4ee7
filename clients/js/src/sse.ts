import type { ServerFrame } from './protocol.js';
import { ABNORMAL, type Transport, type TransportHandlers } from './transport.js';

/** The close code an HTTP refusal of `/sse` stands for; the rest (429, 503, 500) is "try again later". */
const REFUSALS: Record<number, number> = { 400: 1002, 401: 4001, 403: 1008 };

/**
 * A Server-Sent Events stream from `url` (`/sse?channel=…&since=…`), read with `fetch` rather than
 * `EventSource`: it sends the token as `Authorization: Bearer` (not in the URL), sees an HTTP
 * refusal's status and message, sees the server's `: ping` comments (dead-server detection), and
 * leaves reconnecting, with the client's own positions, to the client.
 */
export function openSse(
  fetchFn: typeof fetch,
  url: string,
  token: string | undefined,
  h: TransportHandlers,
): Transport {
  const abort = new AbortController();
  let opened = false;
  let ended = false;
  const end = (code: number, reason: string) => {
    if (ended) return;
    ended = true;
    abort.abort();
    h.close(code, reason, opened);
  };
  const read = async () => {
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (token) headers.Authorization = `Bearer ${token}`;
    const res = await fetchFn(url, { headers, cache: 'no-store', signal: abort.signal });
    if (!res.ok) {
      let reason = `HTTP ${res.status}`;
      try {
        reason = (await res.json()).error.message;
      } catch {
        // not Herald's JSON error (a proxy's page): the status says enough
      }
      return end(REFUSALS[res.status] ?? 1013, reason);
    }
    opened = true;
    h.open();
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffered = '';
    let data = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (ended) return;
      if (done) return end(ABNORMAL, 'the stream ended');
      h.alive();
      buffered += decoder.decode(value, { stream: true });
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).replace(/\r$/, '');
        buffered = buffered.slice(newline + 1);
        if (line.startsWith('data:')) {
          data += (data ? '\n' : '') + line.slice(line[5] === ' ' ? 6 : 5);
        } else if (!line && data) {
          // the end of an event: its data is the JSON frame (its `event:` name is the frame's type)
          const frame = JSON.parse(data) as ServerFrame;
          data = '';
          if (frame.type === 'close') return end(frame.code, frame.reason);
          h.frame(frame);
          if (ended) return;
        }
      }
    }
  };
  read().catch((e: unknown) => end(ABNORMAL, e instanceof Error ? e.message : String(e)));
  return {
    kind: 'sse',
    send() {
      throw new Error('SSE carries no commands');
    },
    close() {
      ended = true;
      abort.abort();
    },
  };
}
