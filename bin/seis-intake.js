#!/usr/bin/env node
// Runs the TypeScript CLI directly (via tsx), so `npx seis-intake` needs no build step.
import { register } from 'tsx/esm/api';

// `seis-intake report | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
