import type { ServiceContext } from '../../app-context';
import { jobsStatus, WORK_QUEUES } from '../../jobs/job-runner';
import { table } from '../format';
import type { CliIo } from '../io';

// `advocacy jobs`: what the service's jobs are doing: backlog and failures per queue, why the
// last failed ones failed, and each portal's last successful scan.

export async function jobsCommand(ctx: ServiceContext, io: CliIo, args: { json?: boolean }): Promise<number> {
  const status = await jobsStatus(ctx);
  if (args.json) {
    io.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
    return 0;
  }
  io.stdout.write(`Daily scan at ${status.schedule.dailyScan} ${status.schedule.timeZone}\n`);
  if (!status.installed) io.stdout.write('No jobs have run on this store yet: `advocacy serve` (or `npm start`, or `advocacy worker` on PostgreSQL) runs them.\n');
  else {
    const work = status.queues.filter((q) => (WORK_QUEUES as readonly string[]).includes(q.queue));
    io.stdout.write(table(['queue', 'waiting', 'running', 'failed', 'done'], work.map((q) => [q.queue, q.queued, q.active, q.failed, q.completed])));
  }
  io.stdout.write(`\nLast successful scan per portal:\n`);
  io.stdout.write(table(['portal', 'as of', 'finished'], status.lastScans.map((s) => [s.portalId, s.asOf, s.finishedAt?.slice(0, 19) ?? null])));
  const n = status.notifications;
  io.stdout.write(`\nNotifications: ${n.pending} waiting to be sent, ${n.failed} given up after their last attempt\n`);
  if (n.failures.length) io.stdout.write(table(['portal', 'notification', 'kind', 'attempts', 'error'], n.failures.map((f) => [f.portalId, f.key, f.kind, f.attempts, f.error])));
  if (status.failures.length) {
    io.stdout.write(`\nFailed jobs (after their last attempt):\n`);
    io.stdout.write(table(['queue', 'key', 'failed at', 'attempts', 'reason'], status.failures.map((f) => [f.queue, f.key, f.failedAt?.slice(0, 19) ?? null, f.attempts, f.reason])));
  }
  return 0;
}
