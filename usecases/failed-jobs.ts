// What `seis-intake jobs` shows and does: job counts per queue, the failed jobs with their reasons, and
// retrying them (one by id, or all). Talks to Redis only; the retried job runs in a `run` process.
import { Queue, type Job } from 'bullmq';
import type { AppConfig } from '../config/schema.ts';
import { QUEUE_NAMES, type QueueName } from '../adapters/queues.ts';
import { bullProducerConnection } from '../adapters/redis-connection.ts';

export interface FailedJobRow {
  queue: QueueName;
  id: string;
  attemptsMade: number;
  failedReason: string;
  failedAt?: string;
  uid?: number;
  messageKey?: string;
}

export interface JobsReport {
  counts: Record<string, Record<string, number>>;
  failed: FailedJobRow[];
  text: string;
}

async function withQueues<T>(config: AppConfig, only: QueueName | undefined, fn: (queues: Queue[]) => Promise<T>): Promise<T> {
  const names = only ? [only] : (Object.values(QUEUE_NAMES) as QueueName[]);
  const connection = bullProducerConnection(config.redis.url);
  const queues = names.map((name) => new Queue(name, { connection, prefix: config.redis.prefix }));
  try {
    return await fn(queues);
  } finally {
    await Promise.all(queues.map((q) => q.close()));
  }
}

function row(queue: QueueName, job: Job): FailedJobRow {
  const data = (job.data ?? {}) as { uid?: number; messageKey?: string };
  return {
    queue,
    id: String(job.id),
    attemptsMade: job.attemptsMade,
    failedReason: job.failedReason ?? '',
    failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : undefined,
    uid: data.uid,
    messageKey: data.messageKey,
  };
}

export async function jobsReport(config: AppConfig, only?: QueueName): Promise<JobsReport> {
  return withQueues(config, only, async (queues) => {
    const counts: JobsReport['counts'] = {};
    const failed: FailedJobRow[] = [];
    for (const queue of queues) {
      // Prioritized jobs (background page reads) wait too: counted with the waiting.
      const { prioritized = 0, ...c } = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed');
      counts[queue.name] = { ...c, waiting: (c.waiting ?? 0) + prioritized };
      for (const job of await queue.getFailed(0, 999)) if (job) failed.push(row(queue.name as QueueName, job as Job));
    }
    const lines = ['คิว        รอ  กำลังทำ  หน่วงไว้  ล้มเหลว  เสร็จแล้ว'];
    for (const [name, c] of Object.entries(counts)) {
      lines.push(
        `${name.padEnd(9)} ${String(c.waiting).padStart(4)} ${String(c.active).padStart(8)} ${String(c.delayed).padStart(9)} ${String(c.failed).padStart(8)} ${
          String(c.completed).padStart(10)
        }`,
      );
    }
    lines.push('');
    if (failed.length === 0) lines.push('ไม่มีงานที่ล้มเหลว');
    else {
      lines.push(`งานที่ล้มเหลว ${failed.length} งาน (ลองใหม่: seis-intake jobs --retry JOB_ID หรือ --retry-all):`);
      for (const f of failed) {
        lines.push(`  ${f.queue}  ${f.id}  ครั้งที่ ${f.attemptsMade}  ${f.failedAt ?? ''}  ${f.failedReason.slice(0, 160)}`);
      }
    }
    return { counts, failed, text: lines.join('\n') };
  });
}

export async function retryJobs(config: AppConfig, opts: { queue?: QueueName; jobId?: string }): Promise<{ retried: string[] }> {
  return withQueues(config, opts.queue, async (queues) => {
    const retried: string[] = [];
    for (const queue of queues) {
      const jobs = opts.jobId ? [await queue.getJob(opts.jobId)] : await queue.getFailed(0, -1);
      for (const job of jobs) {
        if (!job || !(await job.isFailed())) continue;
        await job.retry('failed', { resetAttemptsMade: true });
        retried.push(String(job.id));
      }
    }
    return { retried };
  });
}
