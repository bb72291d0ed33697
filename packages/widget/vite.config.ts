import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { bundleSize } from './build-tools/bundle-size.js';
import { minifyTemplates } from './build-tools/minify-templates.js';

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));
const KB = 1024;

/** Lit, `@lit/react` and React stay imports in the npm build: the app's bundler brings one copy of each. */
const PEERS = [/^lit(\/|$)/, /^@lit\//, /^@lit-labs\//, /^react(\/|$)/];

/**
 * Five builds (`vite build --mode <es|iife|admin|ru|lib>`):
 * - es: `dist/dotbase-studio.js`, one self-contained ES module with Lit bundled (no chunks: the server serves it as
 *   one file at `/widget.mjs`, and a CDN can serve it to a page with no bundler);
 * - iife: `dist/dotbase-studio.iife.js`, one self-contained script for a plain `<script>` tag (`/widget.js`);
 * - admin: `dist/dotbase-admin.js`, `<dotbase-admin>` with its own Lit, which the studio imports only when an admin
 *   opens the dashboard (see src/admin/load.ts), so the studio's budget does not pay for it;
 * - ru: `dist/dotbase-ru.js`, the Russian strings (no code but a plural rule), which the studio imports from beside
 *   its own file only when Russian is asked for (see src/i18n/locales.ts);
 * - lib: `dist/lib/*.js`, what `import '@dotbase/widget'` gets from npm: one file per entry (index, define, element,
 *   react, dotbase-admin, dotbase-ru) plus shared chunks beside them, with Lit, `@lit/react` and React left as imports (peer
 *   dependencies) so an app that uses Lit ships it once, and Node resolves Lit's server build (importing the widget
 *   there does not throw). Chunks sit in `dist/lib` itself so the loaders' `./dotbase-admin.js` and `./dotbase-ru.js` resolve.
 */
export default defineConfig(({ mode }) => {
  const npm = mode === 'lib';
  const lib = {
    iife: { entry: src('index.ts'), formats: ['iife' as const], name: 'DotbaseWidget', fileName: () => 'dotbase-studio.iife.js' },
    admin: { entry: src('admin/index.ts'), formats: ['es' as const], fileName: () => 'dotbase-admin.js' },
    ru: { entry: src('i18n/ru-pack.ts'), formats: ['es' as const], fileName: () => 'dotbase-ru.js' },
    lib: {
      entry: { index: src('index.ts'), define: src('define.ts'), element: src('element.ts'), react: src('react.ts'), 'dotbase-admin': src('admin/index.ts'), 'dotbase-ru': src('i18n/ru-pack.ts') },
      formats: ['es' as const],
      fileName: (_format: string, name: string) => `lib/${name}.js`,
    },
    es: { entry: src('index.ts'), formats: ['es' as const], fileName: () => 'dotbase-studio.js' },
  }[mode] ?? { entry: src('index.ts'), formats: ['es' as const], fileName: () => 'dotbase-studio.js' };
  return {
    plugins: [
      minifyTemplates(),
      bundleSize({ budgets: { 'dotbase-studio.js': 40 * KB, 'dotbase-studio.iife.js': 40 * KB, 'dotbase-admin.js': 30 * KB, 'dotbase-ru.js': 10 * KB } }),
    ],
    // a classic script has no import.meta: src/admin/load.ts finds its URL through document.currentScript there
    define: mode === 'iife' ? { 'import.meta.url': 'undefined' } : {},
    build: {
      target: 'es2022',
      emptyOutDir: !['iife', 'admin', 'ru', 'lib'].includes(mode),
      // the npm build is minified by the app's bundler; only its templates are (minifyTemplates)
      minify: !npm,
      sourcemap: false,
      reportCompressedSize: false,
      lib,
      rolldownOptions: {
        external: npm ? PEERS : [],
        output: npm ? { chunkFileNames: 'lib/[name]-[hash].js' } : { minify: true, codeSplitting: false },
      },
    },
  };
});
