import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { bundleSize } from './build-tools/bundle-size.js';
import { minifyTemplates } from './build-tools/minify-templates.js';

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));
const KB = 1024;

/** The React wrapper imports the element from the main bundle beside it instead of bundling a second copy. */
function elementFromMainBundle(): Plugin {
  return {
    name: 'dotbase:element-from-main-bundle',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === './index.js' && importer?.endsWith('react.ts')) return { id: './dotbase-studio.js', external: true };
      return null;
    },
  };
}

/**
 * Three builds (`vite build --mode <es|iife|react>`), because a classic script cannot be split into chunks and the
 * React wrapper must share the element with the main bundle:
 * - es: `dist/dotbase-studio.js`, one ES module with Lit bundled (no chunks: the server serves it as one file);
 * - iife: `dist/dotbase-studio.iife.js`, one self-contained script for a plain `<script>` tag;
 * - react: `dist/react.js`, the `@lit/react` wrapper (React external), importing `./dotbase-studio.js`;
 * - admin: `dist/dotbase-admin.js`, `<dotbase-admin>` with its own Lit, which the studio imports only when an admin
 *   opens the dashboard (see src/admin/load.ts), so the studio's budget does not pay for it.
 */
export default defineConfig(({ mode }) => {
  const lib = {
    iife: { entry: src('index.ts'), formats: ['iife' as const], name: 'DotbaseWidget', fileName: () => 'dotbase-studio.iife.js' },
    react: { entry: src('react.ts'), formats: ['es' as const], fileName: () => 'react.js' },
    es: { entry: src('index.ts'), formats: ['es' as const], fileName: () => 'dotbase-studio.js' },
    admin: { entry: src('admin/index.ts'), formats: ['es' as const], fileName: () => 'dotbase-admin.js' },
  }[mode] ?? { entry: src('index.ts'), formats: ['es' as const], fileName: () => 'dotbase-studio.js' };
  return {
    plugins: [
      minifyTemplates(),
      bundleSize({ budgets: { 'dotbase-studio.js': 40 * KB, 'dotbase-studio.iife.js': 40 * KB, 'dotbase-admin.js': 30 * KB } }),
      ...(mode === 'react' ? [elementFromMainBundle()] : []),
    ],
    // a classic script has no import.meta: src/admin/load.ts finds its URL through document.currentScript there
    define: mode === 'iife' ? { 'import.meta.url': 'undefined' } : {},
    build: {
      target: 'es2022',
      emptyOutDir: !['iife', 'react', 'admin'].includes(mode),
      minify: true,
      sourcemap: false,
      reportCompressedSize: false,
      lib,
      rolldownOptions: {
        external: mode === 'react' ? ['react', '@lit/react'] : [],
        output: { minify: true, codeSplitting: false },
      },
    },
  };
});
