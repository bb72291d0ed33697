import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'scale',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // initdb and a cold PostgreSQL take a few seconds on a busy 2-core machine
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
