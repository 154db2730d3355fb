// Command-line flags of `npm run bench`: defaults are the full run of issue 6; smaller values make smoke runs.
import { parseArgs } from 'node:util';
import { booleanOptions, stringOptions } from '../cli/args.ts';

export const SECTIONS = ['floor', 'throughput', 'latency', 'memory', 'dashboard', 'content'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  messages: number;
  seed: number;
  floorRepeats: number;
  concurrency: number[];
  /** INGEST_CONCURRENCY of each of the two `run` processes; 0 skips that scenario. */
  twoProcesses: number;
  latencyRate: number;
  latencySeconds: number;
  latencyConcurrency: number;
  dashboardPersons: number;
  dashboardDocs: number;
  dashboardRepeat: number;
  /** content section (issue 10): page images read both ways, and scanned submissions sent to `run` */
  contentPages: number;
  contentMessages: number;
  contentInterval: number;
  sections: Set<Section>;
  profile: boolean;
  profileConcurrency: number;
  servicesDir: string;
  imapPort: number;
  smtpPort: number;
  keepServices: boolean;
  outDir: string;
  cacheDir: string;
}

export const HELP = `usage: npm run bench -- [flags]
  --messages N              generated mailbox size (default 2000)
  --seed N                  mailbox seed (default 1; cached per seed under bench/.cache/)
  --floor-repeats N         downloads of each floor (bare, durable); the median is kept (default 3)
  --concurrency 1,2,4       INGEST_CONCURRENCY values of the one-process scenarios
  --two-processes N         INGEST_CONCURRENCY of each of two run processes (default 2; 0 skips)
  --latency-rate N          APPENDs per second in the latency section (default 10)
  --latency-seconds N       how long to append (default 60)
  --latency-concurrency N   INGEST_CONCURRENCY while measuring latency (default 2, the default config)
  --dashboard-persons N     synthetic archive size (default 10000)
  --dashboard-docs N        documents per person (default 10)
  --dashboard-repeat N      warm requests per page (default 20)
  --content-pages N         fixture page images read by the content path and by bare tesseract (default 24)
  --content-messages N      10-page unnamed scans sent to run, one per interval (default 5)
  --content-interval S      seconds between them (default 60)
  --content-only            the content section alone (same as --only content)
  --skip LIST / --only LIST sections: ${SECTIONS.join(',')} (--only profile: just the profiled run)
  --profile                 also run one scenario under node --cpu-prof and print the top CPU costs
  --profile-concurrency N   INGEST_CONCURRENCY of the profiled run (default 2)
  --services-dir DIR        private Dovecot + sink state (default .services-bench)
  --imap-port N --smtp-port N   their loopback ports (default 1144, 2526)
  --keep-services           leave the private Dovecot and sink running afterwards
  --out DIR                 where <date>.json goes (default bench/results)`;

function int(value: string | undefined, fallback: number, name: string, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} needs a whole number ≥ ${min} (got "${value}")`);
  return n;
}

/** Section names; "profile" may be listed too (`--only profile` runs just the profiled scenario). */
function sectionList(value: string, name: string): { sections: Section[]; profile: boolean } {
  const list = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.find((s) => s !== 'profile' && !SECTIONS.includes(s as Section));
  if (bad) throw new Error(`--${name}: unknown section "${bad}" (sections: ${SECTIONS.join(', ')}, profile)`);
  return { sections: list.filter((s): s is Section => s !== 'profile'), profile: list.includes('profile') };
}

export function parseOptions(argv: string[], root: string): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    strict: true,
    options: {
      ...stringOptions('messages', 'seed', 'floor-repeats', 'concurrency', 'two-processes', 'latency-rate', 'latency-seconds', 'latency-concurrency',
        'dashboard-persons', 'dashboard-docs', 'dashboard-repeat', 'content-pages', 'content-messages', 'content-interval', 'skip', 'only',
        'profile-concurrency', 'services-dir', 'imap-port', 'smtp-port', 'out'),
      ...booleanOptions('content-only', 'profile', 'keep-services'),
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (values['content-only'] && values.only !== undefined) throw new Error('--content-only and --only cannot be combined');
  const only = values['content-only'] ? sectionList('content', 'content-only') : values.only !== undefined ? sectionList(values.only, 'only') : undefined;
  const sections = new Set<Section>(only ? only.sections : SECTIONS);
  if (values.skip) { for (const s of sectionList(values.skip, 'skip').sections) sections.delete(s); }
  const concurrency = (values.concurrency ?? '1,2,4').split(',').map((c) => int(c.trim(), 0, 'concurrency'));
  return {
    messages: int(values.messages, 2000, 'messages'),
    seed: int(values.seed, 1, 'seed'),
    floorRepeats: int(values['floor-repeats'], 3, 'floor-repeats'),
    concurrency,
    twoProcesses: int(values['two-processes'], 2, 'two-processes', 0),
    latencyRate: int(values['latency-rate'], 10, 'latency-rate'),
    latencySeconds: int(values['latency-seconds'], 60, 'latency-seconds'),
    latencyConcurrency: int(values['latency-concurrency'], 2, 'latency-concurrency'),
    dashboardPersons: int(values['dashboard-persons'], 10_000, 'dashboard-persons'),
    dashboardDocs: int(values['dashboard-docs'], 10, 'dashboard-docs'),
    dashboardRepeat: int(values['dashboard-repeat'], 20, 'dashboard-repeat'),
    contentPages: int(values['content-pages'], 24, 'content-pages'),
    contentMessages: int(values['content-messages'], 5, 'content-messages'),
    contentInterval: int(values['content-interval'], 60, 'content-interval'),
    sections,
    profile: Boolean(values.profile) || Boolean(only?.profile),
    profileConcurrency: int(values['profile-concurrency'], 2, 'profile-concurrency'),
    servicesDir: values['services-dir'] ?? `${root}/.services-bench`,
    imapPort: int(values['imap-port'], 1144, 'imap-port'),
    smtpPort: int(values['smtp-port'], 2526, 'smtp-port'),
    keepServices: Boolean(values['keep-services']),
    outDir: values.out ?? `${root}/bench/results`,
    cacheDir: `${root}/bench/.cache`,
  };
}
