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
    // House style (shared STYLE.md, "Logging"): fields first with a stable `code`, errors as `err` objects (the stack
    // is kept), never err.message alone.
    files: ['{bin,cli,config,pipelines,templates,usecases,adapters,workers,dashboard}/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...[
        'CallExpression[callee.object.name=/^log(ger)?$/]',
        'CallExpression[callee.object.property.name=/^log(ger)?$/]',
      ].flatMap((call) => [
        {
          selector:
            `${call}[callee.property.name=/^(trace|debug|info|warn|error|fatal)$/] > ObjectExpression:first-child:not(:has(> Property[key.name='code']))`,
          message: 'log fields carry a stable `code` (STYLE.md, Logging)',
        },
        {
          selector:
            `${call}[callee.property.name=/^(trace|debug|info|warn|error|fatal)$/] > ObjectExpression > Property[key.name=/^err(or)?$/] > MemberExpression[property.name='message']`,
          message: 'log the error object (`err`), not err.message: the stack and the code go with it',
        },
      ])],
    },
  },
  {
    files: ['pipelines/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['imapflow', 'bullmq', 'ioredis', 'nodemailer', 'node:net', 'node:http'].map((name) => ({
          name,
          message: 'pipelines/ are pure stages: do I/O in workers/',
        })),
        // The full rule (an allow-list of pure packages and built-ins) is .dependency-cruiser.cjs; this catches the
        // common slips in the editor, subpaths included.
        patterns: [{
          group: ['imapflow/*', 'bullmq/*', 'ioredis/*', 'nodemailer/*', 'node:fs*', 'fs', 'fs/*', 'node:child_process', 'child_process', 'proper-lockfile',
            'pino', '**/adapters/**', '**/workers/**', '**/usecases/**', '**/templates/**'],
          message: 'pipelines/ are pure stages: do I/O in adapters/ or workers/',
        }],
      }],
    },
  },
);
