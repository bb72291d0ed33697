import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// @dotbase/* imports resolve to the sibling packages' TypeScript sources (their "@dotbase/source" export
// condition), so tests run without building anything first.
const SOURCE = '@dotbase/source';

export default defineConfig({
  resolve: { conditions: [SOURCE, ...defaultClientConditions.filter((condition) => condition !== 'module')] },
  // without 'module': the AWS SDK's "module" builds (dist-es) use extension-less imports Node cannot load
  ssr: { resolve: { conditions: [SOURCE, ...defaultServerConditions.filter((condition) => condition !== 'module')] } },
  test: {
    name: 'scale',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // initdb and a cold PostgreSQL take a few seconds on a busy 2-core machine
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // s3rver (the S3 server the tests start in this process) makes ListObjectsV2 continuation tokens with DES,
    // which OpenSSL 3 only has in its legacy provider: without it every listing past one page is a 500
    execArgv: ['--openssl-legacy-provider'],
  },
});
