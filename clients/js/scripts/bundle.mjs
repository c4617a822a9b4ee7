// Bundles the two entry points as minified ES modules into dist/: herald.js (no dependencies) and
// herald-react.js, which imports React and './herald.js' (so a page loads one Herald, and /herald.js
// and /herald-react.js served side by side by the server work as they are).
import { build } from 'esbuild';

const common = { bundle: true, format: 'esm', minify: true, target: 'es2020', sourcemap: false, logLevel: 'warning' };
await build({ ...common, entryPoints: ['src/herald.ts'], outfile: 'dist/herald.js' });
await build({
  ...common,
  entryPoints: ['src/herald-react.ts'],
  outfile: 'dist/herald-react.js',
  external: ['react'],
  plugins: [
    {
      name: 'herald-entry',
      setup(b) {
        // the React entry shares the main entry instead of bundling a second copy of it
        b.onResolve({ filter: /^\.\/herald\.js$/ }, () => ({ path: './herald.js', external: true }));
      },
    },
  ],
});
