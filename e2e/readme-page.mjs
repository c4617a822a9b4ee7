// The README's quick-start page, as written there (between its markers), with its server address
// replaced by this server's: it connects with the token in its URL and lists what is published.
// Usage: node readme-page.mjs <base URL> <admin API key> <token for demo:*>
import { readFileSync } from 'node:fs';
import { adminApi, deadline, launch, newContext } from './lib.mjs';

const [base, key, token] = process.argv.slice(2);
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const block = /<!-- quick-start page -->\s*```html\n([\s\S]*?)```/.exec(readme);
if (!block) {
  console.error('README.md has no ```html block after <!-- quick-start page -->');
  process.exit(1);
}
const html = block[1].replaceAll('http://127.0.0.1:8080', base);
const { publish, subscribers } = adminApi(base, key);
const done = deadline(60_000);
const browser = await launch();
const problems = [];
try {
  const page = await (await newContext(browser)).newPage();
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  await page.route('**/demo.html*', (route) => route.fulfill({ contentType: 'text/html', body: html }));
  await page.goto(`${base}/demo.html?token=${token}`);
  await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'connected');
  await subscribers('demo:1');
  for (const n of [1, 2, 3]) await publish('demo:1', n);
  await page.waitForFunction(() => document.querySelectorAll('#log li').length === 3);
  const shown = await page.locator('#log li').allTextContents();
  console.log(`the page shows ${JSON.stringify(shown)}`);
  if (JSON.stringify(shown) !== JSON.stringify(['tick {"n":1}', 'tick {"n":2}', 'tick {"n":3}'])) problems.push('not the three messages');
} catch (e) {
  problems.push(e.stack || String(e));
} finally {
  await browser.close();
  done();
}
problems.forEach((p) => console.error(p));
process.exit(problems.length ? 1 : 0);
