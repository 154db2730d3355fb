// The bench starts `run` with node's flags from bin/seis-intake.js's first line, so it measures what
// `npx seis-intake run` runs (the Dockerfile gives node the same flag).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binNodeFlags, shebangNodeFlags } from '../../bench/worker-process.ts';

const ROOT = join(import.meta.dirname, '../..');

describe('node flags of the bin', () => {
  it('reads the flags of an env -S line and none from a plain one', () => {
    expect(shebangNodeFlags('#!/usr/bin/env -S node --max-semi-space-size=8 --stack-size=2000')).toEqual(['--max-semi-space-size=8', '--stack-size=2000']);
    expect(shebangNodeFlags('#!/usr/bin/env node')).toEqual([]);
    expect(shebangNodeFlags('// no shebang')).toEqual([]);
  });

  it('gives the bench the young-generation bound the Docker image runs with', () => {
    expect(binNodeFlags()).toContain('--max-semi-space-size=8');
    const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'))?.[1];
    expect(JSON.parse(entrypoint ?? '[]')).toEqual(['node', ...binNodeFlags(), 'bin/seis-intake.js']);
  });
});
