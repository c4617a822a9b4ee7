import { ABNORMAL, type Transport, type TransportHandlers } from './transport.js';

/**
 * A WebSocket to `url` (`/ws`). When it opens it sends `connect` with the token, if there is one;
 * every text frame is parsed and handed on.
 */
export function openWebSocket(
  WS: typeof WebSocket,
  url: string,
  token: string | undefined,
  h: TransportHandlers,
): Transport {
  const ws = new WS(url);
  let opened = false;
  let ended = false;
  const end = (code: number, reason: string) => {
    if (ended) return;
    ended = true;
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    h.close(code, reason, opened);
  };
  ws.onopen = () => {
    opened = true;
    if (token) ws.send(JSON.stringify({ type: 'connect', token }));
    h.open();
  };
  ws.onmessage = (e: MessageEvent) => {
    h.alive();
    let frame;
    try {
      frame = JSON.parse(e.data as string);
    } catch {
      return; // the server only sends JSON; a proxy's noise is not ours to act on
    }
    h.frame(frame);
  };
  ws.onclose = (e: CloseEvent) => end(e.code || ABNORMAL, e.reason);
  return {
    kind: 'websocket',
    send: (frame) => ws.send(JSON.stringify(frame)),
    close() {
      ended = true;
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      ws.close(1000);
    },
  };
}
