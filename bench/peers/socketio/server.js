// The Socket.IO peer of the Herald benchmarks: the small broadcast server a Socket.IO user would
// write. Clients connect with `?channel=NAME` and join that room; POST /api/publish
// {"channel","event","data"} emits one `message` event, its payload shaped like Herald's
// `message` frame, to the room (Socket.IO encodes a broadcast once); GET /health answers 200;
// GET /memory runs a full GC (when started with `node --expose-gc`) and answers process.memoryUsage()
// (bench/idle.sh).
// On the wire each message is the Socket.IO packet `42["message",{…}]` in one WebSocket frame.
//
//   node server.js [port] [host]
'use strict';
const http = require('http');
const { Server } = require('socket.io');

const port = Number(process.argv[2] || 8080);
const host = process.argv[3] || '127.0.0.1';
let offset = 0;

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
    if (!req.url.startsWith('/socket.io/')) {
      res.writeHead(404);
      res.end();
    }
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
    io.to(body.channel).emit('message', {
      type: 'message', channel: body.channel, event: body.event, offset: ++offset, ts: Date.now(), data: body.data,
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
});

const io = new Server(server, { transports: ['websocket'], perMessageDeflate: false, serveClient: false });
io.on('connection', (socket) => {
  const channel = socket.handshake.query.channel;
  if (typeof channel === 'string' && channel) {
    socket.join(channel);
  }
});

server.listen(port, host, 4096, () => console.log(`socketio peer listening on ${host}:${port}`));
process.on('SIGTERM', () => process.exit(0));
