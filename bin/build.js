// Compiles the TypeScript sources to plain ES modules in node_modules/.cache/seis-intake/ (one .mjs per .ts, the
// same tree), so `seis-intake` runs without a TypeScript loader in the process: tsx's hooks cost a long-running
// `run` about 45 MB of RSS (issue 13). Every start compares the sources' sizes and mtimes with the manifest of the
// build (a few milliseconds); a changed, new or deleted source is compiled again before the start, so the compiled
// tree is never older than the sources. Plain JavaScript: it runs before any TypeScript can be loaded.
// `node bin/build.js` compiles ahead of time (Dockerfile, scripts/test.sh) and shows compile errors.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PROJECT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
/** What cli/main.ts can reach: every .ts file under these folders is compiled. */
const SOURCE_DIRS = ['cli', 'config', 'pipelines', 'templates', 'usecases', 'adapters', 'workers', 'dashboard'];
const DAY_MS = 24 * 3600_000;

const layout = (root) => {
  const cache = path.join(root, 'node_modules', '.cache', 'seis-intake');
  return { root, cache, manifest: path.join(cache, 'current.json') };
};

/** The compiled cli/main.mjs (compiled now if the build is missing or stale), or undefined when it cannot be built. */
export async function compiledMain(root = PROJECT) {
  const at = layout(root);
  const manifest = readManifest(at);
  if (manifest && isCurrent(at, manifest)) return mainOf(at, manifest);
  try {
    return mainOf(at, await build(at, manifest, 'silent'));
  } catch (err) {
    const reason = err?.errors?.[0]?.text ?? err?.message ?? String(err);
    process.stderr.write(`seis-intake: running through tsx, compiling failed (${reason}); "node bin/build.js" shows why\n`);
    return undefined;
  }
}

/** Compiles what is stale (esbuild's messages on stderr) and returns the compiled tree's directory. */
export async function buildAhead(root = PROJECT) {
  const at = layout(root);
  const manifest = readManifest(at);
  const current = manifest && isCurrent(at, manifest) ? manifest : await build(at, manifest, 'error');
  return path.join(at.cache, current.tree);
}

const mainOf = (at, manifest) => pathToFileURL(path.join(at.cache, manifest.tree, 'cli', 'main.mjs')).href;

function readManifest(at) {
  try {
    return JSON.parse(readFileSync(at.manifest, 'utf8'));
  } catch {
    return undefined;
  }
}

function stamp(at, rel) {
  const s = statSync(path.join(at.root, rel));
  return `${s.size}:${s.mtimeMs}`;
}

/** What, beside the sources, shapes the output: this builder, the TypeScript settings and esbuild's version. */
function optionsKey(at) {
  const hash = createHash('sha256');
  const inputs = [fileURLToPath(import.meta.url), path.join(at.root, 'tsconfig.json'), path.join(PROJECT, 'node_modules', 'esbuild', 'package.json')];
  for (const file of inputs) hash.update(existsSync(file) ? readFileSync(file) : file);
  return hash.digest('hex');
}

function isCurrent(at, manifest) {
  try {
    if (manifest.key !== optionsKey(at)) return false;
    return Object.entries(manifest.files).every(([rel, was]) => stamp(at, rel) === was);
  } catch {
    return false; // a source was deleted
  }
}

function listSources(at) {
  return SOURCE_DIRS.filter((dir) => existsSync(path.join(at.root, dir))).flatMap((dir) =>
    readdirSync(path.join(at.root, dir), { recursive: true })
      .filter((name) => name.endsWith('.ts'))
      .map((name) => path.join(dir, name).split(path.sep).join('/'))
  ).sort();
}

/**
 * Relative imports of compiled sources become their .mjs; any other relative import (a .js file, data) and
 * import.meta.url point back into the source tree, so files found next to a source are still found.
 */
function sourceTreePlugin(at, sources) {
  const outputDir = (abs) => path.dirname(path.join(at.cache, 'tree', path.relative(at.root, abs)));
  const relativeSpecifier = (fromDir, to) => {
    const rel = path.relative(fromDir, to).split(path.sep).join('/');
    return rel.startsWith('.') ? rel : `./${rel}`;
  };
  return {
    name: 'seis-source-tree',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const target = path.resolve(path.dirname(args.importer), args.path);
        const rel = path.relative(at.root, target).split(path.sep).join('/');
        if (sources.has(rel)) return { path: args.path.replace(/\.ts$/, '.mjs'), external: true };
        if (!existsSync(target)) return undefined; // esbuild reports it as unresolved
        if (target.endsWith('.ts')) return { errors: [{ text: `${args.path}: only .ts files under ${SOURCE_DIRS.join(', ')} are compiled` }] };
        return { path: relativeSpecifier(outputDir(args.importer), target), external: true };
      });
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (/import\.meta\.(dirname|filename)/.test(text)) {
          return { errors: [{ text: 'import.meta.dirname/filename: use new URL(…, import.meta.url) (bin/build.js rewrites it)' }] };
        }
        const own = `new URL(${JSON.stringify(relativeSpecifier(outputDir(args.path), args.path))}, import.meta.url).href`;
        return { contents: text.replaceAll('import.meta.url', own), loader: 'ts' };
      });
    },
  };
}

/** Compiles what changed into a new tree (unchanged outputs are hard links to the previous tree's) and makes it current. */
async function build(at, previous, logLevel) {
  mkdirSync(at.cache, { recursive: true });
  const key = optionsKey(at);
  const sources = listSources(at);
  const files = Object.fromEntries(sources.map((rel) => [rel, stamp(at, rel)]));
  const tree = `tree-${createHash('sha256').update(key).update(JSON.stringify(files)).digest('hex').slice(0, 16)}`;
  if (!existsSync(path.join(at.cache, tree))) {
    const tmp = path.join(at.cache, `tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      // After a deletion everything is compiled, so an import of the deleted source is reported where it is.
      const deleted = previous && Object.keys(previous.files).some((rel) => !(rel in files));
      const reusable = previous?.key === key && !deleted ? previous : undefined;
      const changed = sources.filter((rel) => !(reusable?.files[rel] === files[rel] && linkOutput(at, reusable.tree, tmp, rel)));
      if (changed.length) await compile(at, changed, new Set(sources), tmp, logLevel);
      renameSync(tmp, path.join(at.cache, tree));
    } catch (err) {
      rmSync(tmp, { recursive: true, force: true });
      if (!existsSync(path.join(at.cache, tree))) throw err; // else another process built the same tree first
    }
  }
  const manifest = { key, tree, files };
  const tmpManifest = `${at.manifest}.${process.pid}-${randomBytes(4).toString('hex')}`;
  writeFileSync(tmpManifest, JSON.stringify(manifest));
  renameSync(tmpManifest, at.manifest);
  // The tree just replaced is kept a day from now: a process started from it may still load a module lazily.
  if (previous && previous.tree !== tree) touch(path.join(at.cache, previous.tree));
  prune(at, tree);
  return manifest;
}

function linkOutput(at, fromTree, toDir, rel) {
  const out = rel.replace(/\.ts$/, '.mjs');
  try {
    mkdirSync(path.dirname(path.join(toDir, out)), { recursive: true });
    for (const file of [out, `${out}.map`]) linkSync(path.join(at.cache, fromTree, file), path.join(toDir, file));
    return true;
  } catch {
    return false;
  }
}

async function compile(at, entries, sources, outdir, logLevel) {
  const esbuild = await import('esbuild');
  try {
    await esbuild.build({
      entryPoints: entries.map((rel) => path.join(at.root, rel)),
      outbase: at.root,
      outdir,
      outExtension: { '.js': '.mjs' },
      bundle: true, // with every import external (the plugin): one output per source, its imports rewritten
      packages: 'external',
      format: 'esm',
      platform: 'node',
      target: 'node20', // package.json engines
      sourcemap: 'linked',
      sourcesContent: false,
      logLevel,
      plugins: [sourceTreePlugin(at, sources)],
    });
  } finally {
    await esbuild.stop();
  }
}

function touch(dir) {
  try {
    const now = new Date();
    utimesSync(dir, now, now);
  } catch {
    // already pruned
  }
}

function prune(at, current) {
  for (const name of readdirSync(at.cache)) {
    if (name === current || !/^(tree|tmp)-/.test(name)) continue;
    const dir = path.join(at.cache, name);
    try {
      if (Date.now() - statSync(dir).mtimeMs > DAY_MS) rmSync(dir, { recursive: true, force: true });
    } catch {
      // pruned by another process
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    console.log(`compiled: ${path.relative(PROJECT, await buildAhead())}`);
  } catch (err) {
    if (!err?.errors) console.error(`bin/build.js: ${err?.stack ?? err}`); // esbuild has printed its own
    process.exitCode = 1;
  }
}
