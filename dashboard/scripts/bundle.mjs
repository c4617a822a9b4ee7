// Bundles the dashboard into dist/, which herald-server's build puts in its jar (served at / and
// /dashboard/*): app.js (the page's code and uPlot, minified; '/herald.js', the browser client the
// server serves beside it, stays an import), app.css (the page's style and uPlot's), index.html.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';

mkdirSync('dist', { recursive: true });
await build({
  entryPoints: ['src/app.ts'],
  outfile: 'dist/app.js',
  bundle: true,
  format: 'esm',
  minify: true,
  target: 'es2020',
  sourcemap: false,
  logLevel: 'warning',
  external: ['/herald.js'],
});
copyFileSync('src/index.html', 'dist/index.html');
