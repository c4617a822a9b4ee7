// Prints the size of each bundle in dist/, minified and gzipped (the target: herald.js at
// most 6 KB gzipped). Run after `npm run bundle`; exits 1 when herald.js is over the target.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const TARGET = 6 * 1024;
let over = false;
for (const file of ['herald.js', 'herald-react.js']) {
  const bytes = readFileSync(new URL(`../dist/${file}`, import.meta.url));
  const gzipped = gzipSync(bytes, { level: 9 }).length;
  console.log(`${file}: ${bytes.length} B minified, ${gzipped} B gzipped`);
  if (file === 'herald.js' && gzipped > TARGET) over = true;
}
if (over) {
  console.error(`herald.js is over its target of ${TARGET} B gzipped`);
  process.exit(1);
}
