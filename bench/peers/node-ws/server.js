// The Node.js `ws` peer of the Herald benchmarks: the small broadcast server a user would write.
// GET /ws/{channel} upgrades and subscribes; POST /api/publish {"channel","event","data"} sends
// one `message` frame shaped like Herald's to every subscriber (the string is built once; `ws`
// frames it per client); GET /health answers 200; GET /memory runs a full GC (when started with
// `node --expose-gc`) and answers process.memoryUsage() (bench/idle.sh).
//
//   node server.js [port] [host]
'use strict';
const http = require('http');
const { WebSocketServer } = require('ws');

const port = Number(process.argv[2] || 8080);
const host = process.argv[3] || '127.0.0.1';
const channels = new Map(); // channel -> Set of sockets
let offset = 0;

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"up"}');
    return;
  }
  if (req.method === 'GET' && req.url === '/memory') { // for bench/idle.sh: full GC (node --expose-gc), then memory
    if (typeof global.gc === 'function') {
      global.gc();
      global.gc();
    }
    const m = process.memoryUsage();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({
      heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers, rss: m.rss,
      gc: typeof global.gc === 'function',
    }));
    return;
  }
  if (req.method !== 'POST' || req.url !== '/api/publish') {
    res.writeHead(404);
    res.end();
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch (e) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"error":{"code":"bad_request"}}');
      return;
    }
    const subscribers = channels.get(body.channel);
    const frame = JSON.stringify({
      type: 'message', channel: body.channel, event: body.event, offset: ++offset, ts: Date.now(), data: body.data,
    });
    let n = 0;
    if (subscribers) {
      for (const ws of subscribers) {
        ws.send(frame);
        n++;
      }
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(`{"subscribers":${n}}`);
  });
});

server.on('upgrade', (req, socket, head) => {
  const path = req.url.split('?')[0];
  if (!path.startsWith('/ws/')) {
    socket.destroy();
    return;
  }
  const channel = decodeURIComponent(path.slice(4));
  wss.handleUpgrade(req, socket, head, (ws) => {
    let set = channels.get(channel);
    if (!set) {
      set = new Set();
      channels.set(channel, set);
    }
    set.add(ws);
    ws.on('close', () => set.delete(ws));
    ws.on('error', () => ws.terminate());
  });
});

server.listen(port, host, 4096, () => console.log(`node-ws peer listening on ${host}:${port}`));
process.on('SIGTERM', () => process.exit(0));
