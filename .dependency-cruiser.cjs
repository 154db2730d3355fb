// The directions of the house (docs/architecture.md), checked on every `npm test` (scripts/test.sh) and by
// `npm run lint:deps`. Layers, lowest first: config ← pipelines ← templates ← usecases ← workers / cli / dashboard;
// adapters (archive store, IMAP, SMTP, Redis, queues, logger) sit beside the use-case layer and are used by it and
// above, never by pipelines or templates.
/**
 * Pure libraries a stage may use: computations on bytes and text, no network, disk, process or clock.
 * node-unrar-js and 7z-wasm are WebAssembly builds that read their own .wasm file once when loaded and then only
 * compute: 7z-wasm is run on its in-memory file system only (never NODEFS) with a password given, so it never
 * prompts; pipelines/archives/un7z.ts restores the process.exitCode its command line sets.
 */
const PURE_PACKAGES = ['mailparser', '@zone-eu/mailsplit', 'iconv-lite', 'yauzl', 'node-unrar-js', '7z-wasm', 'csv-parse', 'csv-stringify', 'exceljs',
  'pdf-lib', 'pdfjs-dist'];
/**
 * Built-ins that only compute (hashes, inflate, path and URL strings): everything else in node: is I/O. `stream` is
 * the plumbing of pure streaming stages (the spool pass, ZIP entries read through FileBody.read): no I/O of its own.
 */
const PURE_BUILTINS = ['crypto', 'zlib', 'path', 'url', 'buffer', 'stream'];
const alternation = (names) => `^(node:)?(${names.join('|')})$`;
const packages = (names) => `node_modules/(${names.map((n) => n.replace('/', '\\/')).join('|')})/`;

const layer = (name, from, forbidden, comment) => ({
  name,
  severity: 'error',
  comment,
  from: { path: from },
  to: { path: forbidden },
});

// eslint-disable-next-line no-undef -- CommonJS config file
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'Import cycles hide which module decides what.', from: {}, to: { circular: true } },
    layer('config-is-the-base', '^config/', '^(pipelines|templates|usecases|adapters|workers|cli|dashboard|bench|test)/',
      'config/ is the lowest layer: it imports nothing of ours.'),
    layer('pipelines-are-pure', '^pipelines/', '^(templates|usecases|adapters|workers|cli|dashboard|bench|test)/',
      'pipelines/ are pure stages: they import config/ and each other only.'),
    {
      name: 'pipelines-no-io-builtins',
      severity: 'error',
      comment: 'pipelines/ do no I/O: only computing built-ins (hashes, zlib, path/URL strings).',
      from: { path: '^pipelines/' },
      to: { dependencyTypes: ['core'], pathNot: alternation(PURE_BUILTINS) },
    },
    {
      name: 'pipelines-pure-packages-only',
      severity: 'error',
      comment: 'pipelines/ use only the pure libraries listed in .dependency-cruiser.cjs (any subpath of others is refused).',
      from: { path: '^pipelines/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], pathNot: packages(PURE_PACKAGES) },
    },
    {
      name: 'concern-through-its-index',
      severity: 'error',
      comment: 'A pipelines/<concern>/ folder is used through its index.ts; its other files are its own business.',
      from: { path: '^(bin|cli|config|templates|usecases|adapters|workers|dashboard|pipelines/[^/]+\\.ts$)' },
      to: { path: '^pipelines/[^/]+/(?!index\\.ts$)' },
    },
    {
      name: 'concern-to-concern-through-index',
      severity: 'error',
      comment: 'Between pipelines/ folders too: only through index.ts.',
      from: { path: '^pipelines/([^/]+)/' },
      to: { path: '^pipelines/[^/]+/(?!index\\.ts$)', pathNot: '^pipelines/$1/' },
    },
    layer('templates-render-only', '^templates/', '^(usecases|adapters|workers|cli|dashboard|bench|test)/',
      'templates/ turn decided values into words: config/ and pipelines/ only.'),
    layer('adapters-below-usecases', '^adapters/', '^(templates|usecases|workers|cli|dashboard|bench|test)/',
      'adapters/ move bytes; they know config/ and pipelines/ types, never the layers that use them.'),
    layer('usecases-below-entry-points', '^usecases/', '^(workers|cli|dashboard|bench|test)/',
      'usecases/ are called by workers, cli and dashboard, never the other way.'),
    layer('workers-no-ui', '^workers/', '^(cli|dashboard|bench|test)/', 'workers/ are process roles; the CLI starts them.'),
    layer('dashboard-no-cli', '^dashboard/', '^(cli|workers|bench|test)/', 'dashboard/ reaches the archive through usecases/ and adapters/.'),
    layer('production-not-tests', '^(bin|cli|config|pipelines|templates|usecases|adapters|workers|dashboard)/', '^(test|bench)/',
      'Fixtures and benchmarks stay out of the production tree.'),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(\\.services|\\.scratch|archive|seis-demo|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
