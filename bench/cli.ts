import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../backend/src/config/package-root';

// bench/cli: how long a person waits for `advocacy asks` and `advocacy account ID` on the
// 300-account demo store (the embedded default), each as a fresh process the way a shell runs
// it, first with no service (the command opens the store itself), then with `advocacy serve`
// running on the folder (the command goes through it). The baseline is `node -e 0` measured in
// the same run, so the ratio says what the command costs beyond starting Node at all.
//
//   npm run build && node dist/bench/cli.js [runs]      (default 7 runs of each, medians)

const ROOT = packageRoot(__dirname);
const BIN = join(ROOT, 'bin', 'advocacy.js');
const RUNS = Number(process.argv[2] ?? 7);
const GOAL_MS = 1500;
const ACCOUNT = 'acc-000002';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function timed(args: string[], env: NodeJS.ProcessEnv): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env, encoding: 'utf8', timeout: 120_000 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

function measure(label: string, args: string[], env: NodeJS.ProcessEnv): { label: string; ms: number } {
  timed(args, env); // one warm-up run: the OS file cache, as for a person's second command
  const runs = Array.from({ length: RUNS }, () => timed(args, env));
  return { label, ms: median(runs) };
}

async function waitFor(what: string, check: () => boolean, ms = 120_000) {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'advocacy-cli-bench-'));
  const dataDir = join(dir, 'data');
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO_ACCOUNTS: '300' };
  delete env.DATABASE_URL;
  try {
    process.stdout.write(`seeding the 300-account demo store in ${dataDir}...\n`);
    timed([BIN, 'start', '--no-serve'], env);

    const rows: Array<{ label: string; ms: number }> = [];
    const baseline = () => measure('node -e 0', ['-e', '0'], env);
    rows.push(baseline());
    rows.push(measure('advocacy asks (no service)', [BIN, 'asks'], env));
    rows.push(measure(`advocacy account ${ACCOUNT} (no service)`, [BIN, 'account', ACCOUNT], env));

    const service = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    try {
      const lock = join(dataDir, 'owner.lock');
      await waitFor('the service to listen', () => existsSync(lock) && /"address":"http/.test(readFileSync(lock, 'utf8')));
      // Its start-up work (the job queue's schema, the schedules, the first sweep) settles first.
      await new Promise((r) => setTimeout(r, 5000));
      rows.push(measure('advocacy asks (through the service)', [BIN, 'asks'], env));
      rows.push(measure(`advocacy account ${ACCOUNT} (through the service)`, [BIN, 'account', ACCOUNT], env));
    } finally {
      service.kill('SIGTERM');
      await new Promise((r) => service.once('exit', r));
    }
    rows.push({ ...baseline(), label: 'node -e 0 (again, after)' });

    const base = median([rows[0].ms, rows[rows.length - 1].ms]);
    process.stdout.write(`\nmedian of ${RUNS} runs each (Node ${process.version}, load average ${(await import('node:os')).loadavg()[0].toFixed(1)})\n`);
    for (const r of rows) {
      const goal = r.label.startsWith('advocacy') ? (r.ms < GOAL_MS ? `  under ${GOAL_MS} ms` : `  OVER ${GOAL_MS} ms`) : '';
      process.stdout.write(`${r.label.padEnd(48)} ${r.ms.toFixed(0).padStart(6)} ms   ${(r.ms / base).toFixed(1).padStart(5)}x node -e 0${goal}\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exitCode = 1;
});
