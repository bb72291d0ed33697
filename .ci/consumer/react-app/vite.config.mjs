import { defineConfig } from 'vite';

// A plain Vite + React app: React's automatic JSX runtime through Vite's built-in transform.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: { outDir: 'dist', emptyOutDir: true },
});
