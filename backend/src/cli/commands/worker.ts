import type { ServiceContext } from '../../app-context';
import { startJobs } from '../../jobs/job-runner';
import { UsageError, type CliIo } from '../io';

// `advocacy worker`: takes jobs from the PostgreSQL server until SIGTERM/SIGINT, beside any
// number of other workers and `serve` processes. On the embedded store the service runs the
// jobs itself (one process owns the data folder), so a worker is refused there.

export async function workerCommand(ctx: ServiceContext, io: CliIo): Promise<number> {
  if (ctx.db.kind !== 'postgres') throw new UsageError('advocacy worker needs DATABASE_URL (a PostgreSQL server); on the embedded store `advocacy serve` runs the jobs itself');
  const jobs = await startJobs(ctx, { work: true, schedule: true });
  io.stdout.write(`worker ${process.pid} taking jobs (daily scan at ${ctx.env.SCAN_TIME} ${ctx.env.SCAN_TIME_ZONE}); SIGTERM stops it cleanly\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  // A scan in hand commits its current page, releases its claims and hands the rest to another
  // worker; other jobs finish (past 30 s pg-boss fails them, to be retried); nothing is lost.
  io.stdout.write('worker stopping: the job in hand finishes its current page and hands over\n');
  await jobs.stop();
  io.stdout.write('worker stopped\n');
  return 0;
}
