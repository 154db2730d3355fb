// The archive's cached real-path resolution gives realPathOf's answers, sees symlinks wherever they are, and notices a
// directory swapped for a symlink once its trust has run out.
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realPathOf } from '../../../adapters/atomic-fs.ts';
import { RealPaths, TRUST_MS } from '../../../adapters/archive/real-paths.ts';

let base: string;
let root: string;
beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'real-paths-'));
  root = path.join(base, 'archive');
  await mkdir(path.join(root, 'a/b'), { recursive: true });
  await writeFile(path.join(root, 'a/b/file.json'), '{}');
  await mkdir(path.join(base, 'outside'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const fresh = (now = () => 0) => new RealPaths(root, realPathOf(root), now);

describe('RealPaths', () => {
  it('answers as realPathOf for the root, existing paths, missing paths and paths below a file', async () => {
    const paths = fresh();
    for (const rel of ['', 'a', 'a/b', 'a/b/file.json', 'a/b/new/deeper/x.pdf', 'missing', 'a/b/file.json/below']) {
      const abs = path.join(root, rel);
      expect(paths.of(abs)).toBe(realPathOf(abs));
      expect(paths.of(abs)).toBe(realPathOf(abs)); // second time from the remembered directories
    }
  });

  it('follows a symlink wherever it is: inside stays inside, outside goes out, dangling throws', async () => {
    await symlink(path.join(root, 'a'), path.join(root, 'inner'));
    await symlink(path.join(base, 'outside'), path.join(root, 'a/out'));
    await symlink(path.join(base, 'gone'), path.join(root, 'a/b/dangling'));
    const paths = fresh();
    expect(paths.of(path.join(root, 'inner/b/file.json'))).toBe(realPathOf(path.join(root, 'a/b/file.json')));
    expect(paths.of(path.join(root, 'a/out/x'))).toBe(path.join(realPathOf(base), 'outside/x'));
    expect(() => paths.of(path.join(root, 'a/b/dangling'))).toThrow(/dangling/);
  });

  it('sees a directory replaced by a symlink once its trust has run out', async () => {
    let now = 0;
    const paths = fresh(() => now);
    await mkdir(path.join(root, 'swap'));
    expect(paths.of(path.join(root, 'swap/x'))).toBe(path.join(realPathOf(root), 'swap/x'));
    await rename(path.join(root, 'swap'), path.join(root, 'swapped'));
    await symlink(path.join(base, 'outside'), path.join(root, 'swap'));
    now += TRUST_MS;
    expect(paths.of(path.join(root, 'swap/x'))).toBe(path.join(realPathOf(base), 'outside/x'));
  });
});
