#!/usr/bin/env -S node --max-semi-space-size=8
// Runs the CLI from its compiled build (bin/build.js: compiled again first whenever a source changed), so
// `npx seis-intake` needs no build step and carries no TypeScript loader; through tsx only if compiling fails.
// The first line gives node the Dockerfile's flag: V8's young generation 2 × 8 MB instead of 2 × 16, the same
// for `npx seis-intake` as in the image (bench: `run` peaks ~12 MB lower for the same CPU). `env -S` needs GNU
// coreutils 8.30+ or a BSD/macOS env; BusyBox's has none: there, run `node --max-semi-space-size=8 bin/seis-intake.js`.
import { compiledMain } from './build.js';

// `seis-intake report | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

const compiled = await compiledMain();
let main;
if (compiled) {
  process.setSourceMapsEnabled(true); // stack traces name the .ts lines, as under tsx
  ({ main } = await import(compiled));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
