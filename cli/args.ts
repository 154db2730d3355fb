// Argument parsing shared by the verbs: node's parseArgs with one-line usage errors, and the common
// --config/--archive/--roster flags turned into config overrides.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

export const COMMON_OPTIONS = {
  config: { type: 'string' },
  archive: { type: 'string' },
  roster: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} satisfies Options;

export function parseCommandArgs<O extends Options>(args: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
}
