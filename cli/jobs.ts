// `seis-intake jobs`: lists jobs that exhausted their retries (or failed permanently) and retries them.
import { COMMON_OPTIONS, parseCommandArgs, UsageError, showHelp, stringOptions, booleanOptions } from './args.ts';
import { configFromFlags } from './context.ts';
import { jobsReport, retryJobs } from '../usecases/failed-jobs.ts';
import { QUEUE_NAMES, type QueueName } from '../adapters/queues.ts';

const HELP = `usage: seis-intake jobs [--queue ingest|reply|followup|staff-mail|content|remind] [--retry JOB_ID | --retry-all] [--json] [--config FILE]
  Without --retry: counts per queue and every failed job with its reason.`;

export async function jobsCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, { ...COMMON_OPTIONS, ...stringOptions('queue', 'retry'), ...booleanOptions('retry-all', 'json') });
  if (showHelp(values, HELP)) return 0;
  const names = Object.values(QUEUE_NAMES) as string[];
  if (values.queue && !names.includes(values.queue)) throw new UsageError(`unknown queue "${values.queue}" (queues: ${names.join(', ')})`);
  if (values.retry && values['retry-all']) throw new UsageError('give either --retry JOB_ID or --retry-all');
  const config = configFromFlags(values);
  const queue = values.queue as QueueName | undefined;
  if (values.retry || values['retry-all']) {
    const result = await retryJobs(config, { queue, jobId: values.retry });
    console.log(`ส่งกลับเข้าคิวแล้ว ${result.retried.length} งาน${result.retried.length ? `: ${result.retried.join(', ')}` : ''}`);
    if (values.retry && result.retried.length === 0) {
      console.error(`seis-intake jobs: no failed job with id "${values.retry}"`);
      return 1;
    }
    return 0;
  }
  const report = await jobsReport(config, queue);
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else console.log(report.text);
  return 0;
}
