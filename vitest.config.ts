import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests share one Dovecot and one Redis: files run one at a time, tests inside a file in order.
    fileParallelism: false,
    pool: 'forks',
  },
});
