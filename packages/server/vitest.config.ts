import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// @dotbase/* imports resolve to the sibling packages' TypeScript sources (their "@dotbase/source" export
// condition), so tests run without building anything first.
const SOURCE = '@dotbase/source';

export default defineConfig({
  // without 'module': the AWS SDK's "module" builds (dist-es, reached through @dotbase/scale/s3) use extension-less
  // imports Node cannot load
  resolve: { conditions: [SOURCE, ...defaultClientConditions.filter((condition) => condition !== 'module')] },
  ssr: { resolve: { conditions: [SOURCE, ...defaultServerConditions.filter((condition) => condition !== 'module')] } },
  test: {
    name: 'server',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
