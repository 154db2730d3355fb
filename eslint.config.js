import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'archive/', 'bench/results/', 'bench/.cache/', 'coverage/', '.services/', '.services-bench/', '.scratch/', 'seis-demo/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
      'no-misleading-character-class': 'off',
    },
  },
  {
    files: ['pipelines/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['imapflow', 'bullmq', 'ioredis', 'nodemailer', 'node:net', 'node:http'].map((name) => ({
          name, message: 'pipelines/ are pure stages: do I/O in workers/',
        })),
        // The full rule (an allow-list of pure packages and built-ins) is .dependency-cruiser.cjs; this catches the
        // common slips in the editor, subpaths included.
        patterns: [{ group: ['imapflow/*', 'bullmq/*', 'ioredis/*', 'nodemailer/*', 'node:fs*', 'fs', 'fs/*', 'node:child_process',
          'child_process', 'proper-lockfile', 'pino', '**/adapters/**', '**/workers/**', '**/usecases/**', '**/templates/**'],
        message: 'pipelines/ are pure stages: do I/O in adapters/ or workers/' }],
      }],
    },
  },
);
