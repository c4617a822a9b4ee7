// Bundles the settings page (src/main.jsx, React and Herald's browser client from clients/js/src)
// into one minified ES module: node build.mjs <out file>. Maven runs it before the resources are
// packed. Runs `npm ci` first unless node_modules already holds what package-lock.json says.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const read = (path) => {
  try {
    return JSON.parse(readFileSync(here(path), 'utf8'));
  } catch {
    return undefined;
  }
};
const wanted = read('package-lock.json');
const installed = read('node_modules/.package-lock.json');
const current =
  installed !== undefined &&
  Object.entries(wanted.packages)
    .filter(([path]) => path.startsWith('node_modules/'))
    // optional packages of other platforms (esbuild's binaries) are in the lockfile, not installed
    .every(([path, p]) => installed.packages[path]?.version === p.version || (p.optional && !installed.packages[path]));
if (!current) {
  console.log('settings-sync/web: npm ci');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: here('.'), stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`settings-sync/web: npm ci failed${r.error ? `: ${r.error.message}` : ''} (Node.js 20 or later and npm are needed)`);
    process.exit(1);
  }
}

const { build } = await import('esbuild');
const outfile = process.argv[2] ?? here('dist/app.js');
const herald = here('../../../clients/js/src/');
const web = here('.').replace(/\/$/, '');
await build({
  entryPoints: [here('src/main.jsx')],
  outfile,
  bundle: true,
  format: 'esm',
  minify: true,
  target: 'es2022',
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
  plugins: [
    {
      name: 'herald-and-one-react',
      setup(b) {
        // Herald's client from the repository's sources (the package is not published)
        b.onResolve({ filter: /^herald$/ }, () => ({ path: `${herald}herald.ts` }));
        b.onResolve({ filter: /^herald\/react$/ }, () => ({ path: `${herald}herald-react.ts` }));
        // React from this page's node_modules only, also for herald-react.ts (one copy of React)
        b.onResolve({ filter: /^react(-dom)?(\/.*)?$/ }, (args) =>
          args.resolveDir === web ? undefined : b.resolve(args.path, { kind: args.kind, resolveDir: web }),
        );
      },
    },
  ],
});
