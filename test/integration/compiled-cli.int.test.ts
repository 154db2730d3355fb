// bin/seis-intake.js runs the compiled tree of bin/build.js: always the current sources (a changed one is compiled
// again before the start), files next to a source still found through import.meta.url, tsx only when compiling fails.
// A throwaway project (a copy of bin/, a two-file cli/) so the real sources are never touched.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const REPO = process.cwd();
let root: string;

async function cli(args: string[] = []) {
  try {
    const { stdout, stderr } = await exec('node', [join(root, 'bin/seis-intake.js'), ...args], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Writes a source with an mtime a little ahead, as an editor saving it later would. */
function writeSource(rel: string, text: string, ageSeconds = 0) {
  const file = join(root, rel);
  writeFileSync(file, text);
  const when = new Date(Date.now() + 2000 - ageSeconds * 1000);
  utimesSync(file, when, when);
}

const cacheDir = () => join(root, 'node_modules/.cache/seis-intake');
const currentTree = () => join(cacheDir(), JSON.parse(readFileSync(join(cacheDir(), 'current.json'), 'utf8')).tree);

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'seis-compiled-'));
  mkdirSync(join(root, 'bin'));
  mkdirSync(join(root, 'cli'));
  mkdirSync(join(root, 'node_modules'));
  for (const file of ['build.js', 'seis-intake.js']) copyFileSync(join(REPO, 'bin', file), join(root, 'bin', file));
  for (const pkg of ['esbuild', 'tsx']) symlinkSync(join(REPO, 'node_modules', pkg), join(root, 'node_modules', pkg));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(join(root, 'cli/note.txt'), 'found beside the source\n');
  writeSource('cli/greeting.ts', `export const greeting = (): string => 'first';\n`, 60);
  writeSource(
    'cli/main.ts',
    `import { readFileSync } from 'node:fs';
import { greeting } from './greeting.ts';
export async function main(args: string[]): Promise<number> {
  const note: string = readFileSync(new URL('./note.txt', import.meta.url), 'utf8').trim();
  console.log(JSON.stringify({ greeting: greeting(), note, args }));
  return args.includes('--fail') ? 3 : 0;
}
`,
    60,
  );
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the compiled CLI', () => {
  it('compiles on the first start and runs the compiled tree, import.meta.url naming the source', async () => {
    const first = await cli(['a']);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(first.stdout)).toEqual({ greeting: 'first', note: 'found beside the source', args: ['a'] });
    expect(readdirSync(join(currentTree(), 'cli')).sort()).toEqual(['greeting.mjs', 'greeting.mjs.map', 'main.mjs', 'main.mjs.map']);

    // Proof that the tree is what runs: an output changed behind the builder's back is used while the sources stand still.
    writeFileSync(join(currentTree(), 'cli/greeting.mjs'), `export const greeting = () => 'from the tree';\n`);
    const second = await cli(['--fail']);
    expect(second.code).toBe(3);
    expect(JSON.parse(second.stdout).greeting).toBe('from the tree');
  });

  it('compiles a changed source again before the start, reusing the unchanged outputs', async () => {
    const before = currentTree();
    writeSource('cli/greeting.ts', `export const greeting = (): string => 'second';\n`);
    const out = await cli();
    expect(out).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(out.stdout).greeting).toBe('second');
    expect(currentTree()).not.toBe(before);
    expect(readFileSync(join(currentTree(), 'cli/main.mjs'), 'utf8')).toBe(readFileSync(join(before, 'cli/main.mjs'), 'utf8'));
  });

  it('fails as tsx does when an imported source is gone, saying it fell back to tsx', async () => {
    rmSync(join(root, 'cli/greeting.ts'));
    const out = await cli();
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain('running through tsx, compiling failed');
    expect(out.stderr).toMatch(/greeting/);
  });
});

describe('the project build', () => {
  it('compiles every source of the project', async () => {
    const { stdout } = await exec('node', [join(REPO, 'bin/build.js')], { cwd: REPO });
    expect(stdout).toMatch(/^compiled: node_modules\/\.cache\/seis-intake\/tree-/);
  }, 120_000);
});
