import { defineConfig } from 'vite';

// React's automatic JSX runtime; Vite's built-in transform handles TSX without a plugin.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
});
