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
      }],
    },
  },
);
