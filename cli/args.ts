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

/** Options that take a value (`--name VALUE`), by name. */
export function stringOptions<const K extends string>(...names: K[]): Record<K, { type: 'string' }> {
  return Object.fromEntries(names.map((n) => [n, { type: 'string' }])) as Record<K, { type: 'string' }>;
}

/** Options that are on or off (`--name`), by name. */
export function booleanOptions<const K extends string>(...names: K[]): Record<K, { type: 'boolean' }> {
  return Object.fromEntries(names.map((n) => [n, { type: 'boolean' }])) as Record<K, { type: 'boolean' }>;
}

/** Prints the verb's usage when --help was given; the verb then ends with 0. */
export function showHelp(values: { help?: boolean }, usage: string): boolean {
  if (values.help) console.log(usage);
  return Boolean(values.help);
}

export function parseCommandArgs<O extends Options>(args: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
}
