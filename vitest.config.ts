import { defineConfig } from 'vitest/config';

// Three tiers, run one after another (sequence.groupOrder). The unit tier is pure stages on fixtures: its files run
// in parallel. Integration (real disk, Dovecot, the SMTP sink, Redis) and e2e (CLI processes, Chromium) share one
// Dovecot mailbox and one Redis: their files run one at a time, tests inside a file in order.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'], fileParallelism: false, sequence: { groupOrder: 1 } } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], fileParallelism: false, sequence: { groupOrder: 2 } } },
    ],
  },
});
