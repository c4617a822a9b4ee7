// What the browser scenarios share: Chromium, the admin API, a page served at Herald's origin, and
// the control lines to BrowserTest (a line "@restart" on stdout; BrowserTest answers on stdin).
import { createHmac } from 'node:crypto';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/** Debian's Chromium, with `args` added to the usual ones. */
export function launch(args = []) {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...args] });
}

/** Fails the scenario after `ms`: a hung page must not hang the build. */
export function deadline(ms = 90_000) {
  const t = setTimeout(() => {
    console.error(`scenario timed out after ${ms} ms`);
    process.exit(1);
  }, ms);
  return () => clearTimeout(t);
}

/** The admin API of the server at `base`, with the API key `key`. */
export function adminApi(base, key) {
  const api = async (method, path, body) => {
    const r = await fetch(base + path, {
      method,
      headers: { 'X-Api-Key': key, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return r.json();
  };
  return {
    api,
    /** Waits until `channel` has `n` subscribers (a page's subscribe went through), polling the admin API. */
    async subscribers(channel, n = 1, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const r = await fetch(`${base}/api/channels/${encodeURIComponent(channel)}`, { headers: { 'X-Api-Key': key } });
        if (r.ok && (await r.json()).subscribers >= n) return;
        if (Date.now() > until) throw new Error(`${channel} has not ${n} subscribers after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    publish: (channel, n) => api('POST', '/api/publish', { channel, event: 'tick', data: { n } }),
  };
}

/**
 * A browser context whose pages may reach 127.0.0.1. A page that a route fulfils (below) came from
 * no address, so Chromium's Local Network Access checks count it as public and block its WebSockets
 * to loopback (net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS); a page that Herald's own origin
 * served would not be. The permission stands for that.
 */
export function newContext(browser) {
  return browser.newContext({ permissions: ['local-network-access'] });
}

/**
 * Serves `html` at `base + path` for a new page (in a new context of `browser`, or in the context
 * given), so that it runs at Herald's origin (same-origin /herald.js, /ws, /sse).
 */
export async function openPage(browserOrContext, base, path, html) {
  const context = browserOrContext.newContext ? await newContext(browserOrContext) : browserOrContext;
  const page = await context.newPage();
  page.on('console', (m) => console.log(`page ${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  await page.route(`**${path}`, (route) => route.fulfill({ contentType: 'text/html', body: html }));
  await page.goto(base + path);
  return page;
}

/**
 * A page that imports Herald from the server, subscribes to `channel` and lists what it gets in the
 * DOM; `window.log` holds the offsets, `window.statuses` every status event, `window.resets` every
 * reset. `options` is the JavaScript text of the Herald options.
 */
export function clientPage(channel, options = '{}') {
  return `<!doctype html><meta charset="utf-8"><title>Herald client</title>
<p id="status">loading</p><ol id="log"></ol>
<script type="module">
  import { Herald } from '/herald.js';
  window.log = []; window.statuses = []; window.resets = [];
  const herald = new Herald(${options}).connect();
  herald.on('status', (s) => {
    window.statuses.push(s);
    document.querySelector('#status').textContent = s.status + (s.transport ? ' (' + s.transport + ')' : '');
  });
  herald.subscribe('${channel}', {
    onMessage: (m) => {
      window.log.push(m.offset);
      const li = document.createElement('li');
      li.textContent = m.offset + ' ' + m.event + ' ' + JSON.stringify(m.data);
      document.querySelector('#log').append(li);
    },
    onReset: (r) => window.resets.push(r),
  });
  window.herald = herald;
</script>`;
}

/** Asks BrowserTest to do `command` (e.g. restart the server) and waits for its answer. */
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
export async function control(command) {
  console.log(`@${command}`);
  const { value, done } = await lines.next();
  if (done) throw new Error(`no answer to @${command}`);
  return value;
}

/** An HS256 token signed with `secret`, as Herald's own minter makes them. */
export function token(secret, { sub = 'e2e', channels = ['e2e:*'], ttlSeconds = 60 } = {}) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub, channels, exp: Math.floor(Date.now() / 1000) + ttlSeconds })}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

/** The offsets 1..n. */
export const range = (n) => Array.from({ length: n }, (_, i) => i + 1);

/** Checks that the page got exactly `expected`, in order, and shows as many entries; returns what failed. */
export async function checkLog(page, expected) {
  const log = await page.evaluate(() => window.log);
  const shown = await page.locator('#log li').count();
  const problems = [];
  if (JSON.stringify(log) !== JSON.stringify(expected)) problems.push(`offsets ${JSON.stringify(log)}, expected ${JSON.stringify(expected)}`);
  if (shown !== expected.length) problems.push(`the page shows ${shown} entries, expected ${expected.length}`);
  return problems;
}

/** What the page holds, for a failed scenario's output. */
export async function pageState(page) {
  try {
    return await page.evaluate(() => JSON.stringify({ log: window.log, statuses: window.statuses, resets: window.resets }));
  } catch (e) {
    return `(page state unavailable: ${e.message})`;
  }
}
