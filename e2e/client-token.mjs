// A page connects with a token from getToken() that expires two seconds later: the server closes
// with 4001, and the page carries on with a fresh token from getToken(), resuming from its last
// offset: every message once, in order. Usage: node client-token.mjs <base URL> <admin API key> <JWT secret>
import { pageState, adminApi, checkLog, clientPage, deadline, launch, newContext, openPage, range, token } from './lib.mjs';

const [base, key, secret] = process.argv.slice(2);
const channel = 'e2e:token';
const { publish, subscribers } = adminApi(base, key);
const done = deadline();
const browser = await launch();
let problems = [];
let p;
let minted = 0;
try {
  // the first token lives 2 s at most (exp is in whole seconds), the next ones a minute
  const ctx = await newContext(browser);
  await ctx.exposeFunction('mintToken', () => token(secret, { ttlSeconds: minted++ === 0 ? 2 : 60 }));
  p = await openPage(ctx, base, '/e2e/token.html', clientPage(channel, '{ getToken: () => window.mintToken() }'));
  await p.waitForFunction(() => window.statuses.some((s) => s.status === 'connected'));
  await subscribers(channel);
  for (const n of range(5)) await publish(channel, n);
  await p.waitForFunction(() => window.log.length === 5);
  // the token expires; messages keep coming, before and after the page is back
  await p.waitForFunction(() => window.statuses.some((s) => s.code === 4001), null, { timeout: 10_000 });
  for (const n of range(5)) await publish(channel, 5 + n);
  await p.waitForFunction(() => window.statuses.filter((s) => s.status === 'connected').length >= 2, null, { timeout: 20_000 });
  for (const n of range(5)) await publish(channel, 10 + n);
  await p.waitForFunction(() => window.log.length >= 15, null, { timeout: 20_000 });

  const statuses = await p.evaluate(() => window.statuses);
  console.log(`statuses ${statuses.map((s) => s.status + (s.transport ? ' ' + s.transport : '') + (s.code ? ' ' + s.code : '')).join(', ')}; tokens minted ${minted}`);
  if (!statuses.filter((s) => s.status === 'connected').every((s) => s.transport === 'websocket')) problems.push('a connection was not a WebSocket');
  problems.push(...(await checkLog(p, range(15))));
  if (minted < 2) problems.push(`getToken was called ${minted} times`);
  if (statuses.some((s) => s.status === 'disconnected')) problems.push('the page gave up');
} catch (e) {
  problems.push(e.stack || String(e));
  if (p) problems.push(`page: ${await pageState(p)}`);
} finally {
  await browser.close();
  done();
}
problems.forEach((p) => console.error(p));
process.exit(problems.length ? 1 : 0);
