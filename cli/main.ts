// `seis-intake <verb>`: dispatches to one module per verb (loaded lazily, so `report` never loads IMAP code).
// Exit codes: 0 success, 1 failure while working, 2 bad arguments or configuration (one-line reason on stderr).
import { ConfigError } from '../config/load.ts';
import { UsageError } from './args.ts';

type Command = (args: string[]) => Promise<number>;

const VERBS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  ingest: { summary: 'process .eml files, folders and mbox files into the archive', load: async () => (await import('./ingest.ts')).ingestCommand },
  report: { summary: 'write the per-person report (json, csv or xlsx)', load: async () => (await import('./report.ts')).reportCommand },
  demo: { summary: 'run a fictional mailbox through the pipeline and show the result', load: async () => (await import('./demo.ts')).demoCommand },
  run: { summary: 'watch the IMAP mailbox and answer over SMTP (live workers)', load: async () => (await import('./run.ts')).runCommand },
  jobs: { summary: 'list failed jobs and retry them', load: async () => (await import('./jobs.ts')).jobsCommand },
  remind: { summary: 'preview (--dry-run) or send (--send) the reminders due now', load: async () => (await import('./remind.ts')).remindCommand },
  serve: { summary: 'web dashboard for central staff', load: async () => (await import('./serve.ts')).serveCommand },
  content: { summary: 'read scans (text layer or Thai OCR): kind, IDs, names, flags per page',
    load: async () => (await import('./content.ts')).contentCommand },
  users: { summary: 'dashboard accounts: add, passwd, disable, enable, list', load: async () => (await import('./users.ts')).usersCommand },
  verify: { summary: 'check that the archive is whole (--repair mends what can be derived)', load: async () => (await import('./verify.ts')).verifyCommand },
};

export const USAGE = `usage: seis-intake <verb> [options]

verbs:
${Object.entries(VERBS).map(([name, v]) => `  ${name.padEnd(8)} ${v.summary}`).join('\n')}

Run "seis-intake <verb> --help" for a verb's options. Documentation: README.md`;

export async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') {
    console.log(USAGE);
    return verb ? 0 : 2;
  }
  const entry = VERBS[verb];
  if (!entry) {
    console.error(`seis-intake: unknown verb "${verb}" (try: ${Object.keys(VERBS).join(', ')})`);
    return 2;
  }
  try {
    const command = await entry.load();
    return await command(rest);
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) {
      console.error(`seis-intake ${verb}: ${err.message}`);
      return 2;
    }
    console.error(`seis-intake ${verb}: ${(err as Error).stack ?? String(err)}`);
    return 1;
  }
}
