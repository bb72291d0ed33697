import { defaultClientConditions, defineConfig } from 'vite';

export default defineConfig({
  // React's automatic JSX runtime; Vite's built-in transform handles TSX without a plugin.
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  // Inside the dotbase repo, `@dotbase/widget` resolves to its sources (no build first). An app of your own needs
  // none of this: from npm, the package resolves to its build.
  resolve: { conditions: ['@dotbase/source', ...defaultClientConditions] },
});
