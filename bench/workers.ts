import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createContext } from '../backend/src/app-context';
import { QUEUES, startJobs } from '../backend/src/jobs/job-runner';
import { openPostgres } from '../backend/src/store/db';
import { startHubSpotStub, type HubSpotStub } from './support/hubspot-stub';

// bench/workers: `advocacy worker` processes on a PostgreSQL server scanning several HubSpot
// portals (OAuth installs, one access token each) against the local stub, which limits each
// portal to 190 requests per rolling 10 s (429 above it), in real time. One run per worker
// count (1, 2, 4 by default), each on a fresh database, and one more with 4 workers where a
// random worker is killed with kill -9 every few seconds and a new one started in its place.
// Prints per run: companies evaluated vs expected, tasks created in HubSpot vs the tasks the
// store decided (duplicates, missing), audit entries vs expected, 429s, each portal's request
// rate over its active span vs its limit, wall time; and the wall time of 4 workers vs 1.
//
//   npm run build && DATABASE_URL=postgres://... node dist/bench/workers.js
//     [--companies 10000] [--portals 4] [--workers 1,2,4] [--no-kill] [--kill-every 4] [--lease 10] [--keep]

const AS_OF = '2026-11-24';
const BIN = join(__dirname, '../../bin/advocacy.js');
const LIMIT = 190;

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at !== -1 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

interface RunSpec {
  label: string;
  workers: number;
  kill: boolean;
}

interface PortalFigures {
  portal: string;
  evaluated: number;
  distinctEvaluated: number;
  tasksDecided: number;
  tasksInHubSpot: number;
  duplicates: number;
  missing: number;
  extra: number;
  auditTaskCreated: number;
  auditEvaluated: number;
  chainOk: boolean;
  calls: number;
  rejected429: number;
  activeSeconds: number;
  rateVsLimit: number;
}

interface RunFigures {
  label: string;
  workers: number;
  kills: number;
  wallSeconds: number;
  finished: boolean;
  workerExits: string;
  /** CPU seconds the workers alive at the end used (Linux /proc), and the machine's load average then. */
  workerCpuSeconds: number | null;
  load: number;
  portals: PortalFigures[];
}

/** User + system CPU seconds of a live process (Linux); null elsewhere. */
function cpuSeconds(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function run(spec: RunSpec, companies: number, portalCount: number, options: { killEveryS: number; leaseS: number; giveUpS: number; keep: boolean }): Promise<RunFigures> {
  const base = process.env.DATABASE_URL!;
  const dbName = `bench_workers_${randomBytes(4).toString('hex')}`;
  const url = base.replace(/\/[^/?]*(\?|$)/, `/${dbName}$1`);
  const admin = await openPostgres(base, { max: 1 });
  await admin.exec(`CREATE DATABASE ${dbName}`);
  const stub: HubSpotStub = await startHubSpotStub({ companies, scale: 1, perWindow: LIMIT });
  const portals = Array.from({ length: portalCount }, (_, i) => ({ portalId: `hubspot:${1001 + i}`, token: `bench-token-${1001 + i}` }));
  const farHour = (new Date().getUTCHours() + 12) % 24;
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    DATABASE_URL: url,
    AUDIT_MAC_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
    CRM: 'hubspot',
    HUBSPOT_AUTH: 'oauth',
    HUBSPOT_CLIENT_ID: 'bench-client',
    HUBSPOT_CLIENT_SECRET: 'bench-client-secret',
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PORTAL_ID: portals[0].portalId,
    HUBSPOT_API_BASE_URL: stub.url,
    HUBSPOT_RATE_LIMIT_PER_10S: String(LIMIT),
    // The daily schedule the workers register stays out of the way.
    SCAN_TIME: `${String(farHour).padStart(2, '0')}:00`,
    // A killed worker's job comes back after one lease: short in the kill run.
    JOB_LEASE_SECONDS: spec.kill ? String(options.leaseS) : '900',
    JOB_EXPIRY_CHECK_SECONDS: spec.kill ? '1' : '60',
    JOB_RETRY_DELAY_SECONDS: '1',
  };
  const ctx = await createContext(env, { logger: pino({ level: 'silent' }) });
  const far = new Date('2099-01-01T00:00:00.000Z');
  for (const p of portals) await ctx.hubspotTokens().save(p.portalId, { accessToken: p.token, refreshToken: `refresh-${p.token}`, expiresAt: far });
  const jobs = await startJobs(ctx, { work: false, schedule: false });
  for (const p of portals) await jobs.sendScan(p.portalId, AS_OF);

  const live = new Set<ChildProcess>();
  // Should the bench itself fail, its workers go with it.
  const orphans = () => {
    for (const w of live) w.kill('SIGKILL');
  };
  process.once('exit', orphans);
  const exits: Array<Promise<string>> = [];
  const start = () => {
    const w = spawn(process.execPath, [BIN, 'worker'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    live.add(w);
    exits.push(new Promise((r) => w.on('exit', (code, signal) => {
      live.delete(w);
      r(signal ?? String(code));
    })));
  };
  const count = async (sql: string, values: unknown[] = []) => (await ctx.db.query<{ n: number }>(sql, values)).rows[0].n;

  const t0 = performance.now();
  for (let i = 0; i < spec.workers; i++) start();
  let kills = 0;
  let killing = spec.kill;
  const killer = (async () => {
    while (killing) {
      await sleep(options.killEveryS * 1000 * (0.5 + Math.random()));
      if (!killing) break;
      const victims = [...live];
      const victim = victims[Math.floor(Math.random() * victims.length)];
      if (!victim) continue;
      victim.kill('SIGKILL');
      kills++;
      start();
    }
  })();

  let finished = false;
  while ((performance.now() - t0) / 1000 < options.giveUpS) {
    const done = await count(`SELECT count(*)::int AS n FROM scan_runs WHERE status = 'done' AND as_of = $1`, [AS_OF]);
    const pending = await count(`SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'`);
    if (done === portals.length && pending === 0) {
      finished = true;
      break;
    }
    await sleep(250);
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  killing = false;
  await killer;
  const cpus = [...live].map((w) => cpuSeconds(w.pid));
  const workerCpuSeconds = cpus.every((c) => c !== null) ? Math.round(cpus.reduce((n: number, c) => n + c!, 0) * 10) / 10 : null;
  const load = Math.round(loadavg()[0] * 10) / 10;
  for (const w of live) w.kill('SIGTERM');
  const workerExits = await Promise.all(exits);
  process.off('exit', orphans);

  const figures: PortalFigures[] = [];
  for (const p of portals) {
    const s = stub.stats.byPortal.get(p.token);
    const taskKeys = (await ctx.db.query<{ k: string }>(`SELECT idempotency_key AS k FROM outbox WHERE portal_id = $1 AND kind <> 'ask_mirror'`, [p.portalId])).rows.map((r) => r.k);
    const created = s?.created ?? new Map<string, number>();
    const inHubSpot = taskKeys.filter((k) => created.has(k));
    const taskKeySet = new Set(taskKeys);
    const activeSeconds = s ? (s.lastAt - s.firstAt) / 1000 : 0;
    figures.push({
      portal: p.portalId,
      evaluated: await count(`SELECT count(*)::int AS n FROM evaluations WHERE portal_id = $1`, [p.portalId]),
      distinctEvaluated: await count(`SELECT count(DISTINCT account_id)::int AS n FROM evaluations WHERE portal_id = $1`, [p.portalId]),
      tasksDecided: taskKeys.length,
      tasksInHubSpot: inHubSpot.reduce((n, k) => n + created.get(k)!, 0),
      duplicates: [...created.values()].reduce((n, c) => n + (c - 1), 0),
      missing: taskKeys.length - inHubSpot.length,
      extra: [...created.keys()].filter((k) => !taskKeySet.has(k) && (k.startsWith('task:') || k.startsWith('handoff:'))).length,
      auditTaskCreated: await count(`SELECT count(*)::int AS n FROM audit_log WHERE portal_id = $1 AND action = 'task.created'`, [p.portalId]),
      auditEvaluated: await count(`SELECT count(*)::int AS n FROM audit_log WHERE portal_id = $1 AND action = 'candidate.evaluated'`, [p.portalId]),
      chainOk: (await ctx.store.audit.verify(p.portalId)).ok,
      calls: s?.calls ?? 0,
      rejected429: s?.rejected429 ?? 0,
      activeSeconds: Math.round(activeSeconds * 10) / 10,
      // Requests per 10 s over the span from the portal's first request to its last, against 190.
      rateVsLimit: s && activeSeconds > 0 ? Math.round((s.calls / (activeSeconds / 10) / LIMIT) * 1000) / 1000 : 0,
    });
  }
  const failedJobs = (await jobs.status()).queues.find((q) => q.queue === QUEUES.scan)?.failed ?? 0;
  if (failedJobs) process.stderr.write(`  ${spec.label}: ${failedJobs} scan job(s) failed for good\n`);
  await jobs.stop(1000);
  await ctx.close();
  stub.server.close();
  if (options.keep) process.stderr.write(`  kept database ${dbName}\n`);
  else await admin.exec(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.close();
  const exitSummary = [...new Set(workerExits)].map((e) => `${e} x${workerExits.filter((x) => x === e).length}`).join(', ');
  return { label: spec.label, workers: spec.workers, kills, wallSeconds: Math.round(wallSeconds * 10) / 10, finished, workerExits: exitSummary, workerCpuSeconds, load, portals: figures };
}

async function main() {
  if (!process.env.DATABASE_URL) {
    process.stderr.write('bench/workers needs DATABASE_URL (a PostgreSQL server; it creates and drops a database per run)\n');
    process.exit(2);
  }
  const companies = Number(arg('companies', '10000'));
  const portalCount = Number(arg('portals', '4'));
  const counts = arg('workers', '1,2,4').split(',').map(Number);
  const kill = !process.argv.includes('--no-kill');
  const options = { killEveryS: Number(arg('kill-every', '4')), leaseS: Number(arg('lease', '10')), giveUpS: Number(arg('give-up', '1800')), keep: process.argv.includes('--keep') };
  const specs: RunSpec[] = counts.map((n) => ({ label: `${n} worker${n === 1 ? '' : 's'}`, workers: n, kill: false }));
  if (kill) specs.push({ label: `4 workers, kill -9 every ~${options.killEveryS} s`, workers: 4, kill: true });

  const results: RunFigures[] = [];
  for (const spec of specs) {
    process.stderr.write(`${spec.label}: ${portalCount} portals x ${companies} companies...\n`);
    const r = await run(spec, companies, portalCount, options);
    process.stderr.write(`  ${r.wallSeconds} s${r.kills ? `, ${r.kills} kills` : ''}${r.finished ? '' : ' (GAVE UP before the scans and relays finished)'}\n`);
    results.push(r);
  }

  console.log(`\nbench/workers: ${portalCount} HubSpot portals x ${companies} companies, stub limiting each portal to ${LIMIT} requests / rolling 10 s (real time), PostgreSQL server`);
  console.table(results.map((r) => {
    const sum = (f: (p: PortalFigures) => number) => r.portals.reduce((n, p) => n + f(p), 0);
    return {
      run: r.label,
      wallSeconds: r.wallSeconds,
      finished: r.finished,
      kills: r.kills,
      evaluated: `${sum((p) => p.evaluated)} / ${companies * portalCount}`,
      tasksInHubSpot: `${sum((p) => p.tasksInHubSpot)} / ${sum((p) => p.tasksDecided)}`,
      duplicates: sum((p) => p.duplicates),
      missing: sum((p) => p.missing),
      auditTasks: `${sum((p) => p.auditTaskCreated)} / ${sum((p) => p.tasksDecided)}`,
      auditEvaluated: `${sum((p) => p.auditEvaluated)} / ${companies * portalCount}`,
      chainsOk: r.portals.every((p) => p.chainOk),
      '429s': sum((p) => p.rejected429),
      workerExits: r.workerExits,
      workerCpuS: r.workerCpuSeconds,
      load1m: r.load,
    };
  }));
  for (const r of results) {
    console.log(`${r.label}: request rate vs limit per portal over its active span: ${r.portals.map((p) => `${p.portal} ${p.rateVsLimit} (${p.calls} calls in ${p.activeSeconds} s)`).join('; ')}`);
  }
  const baseline = results.find((r) => r.workers === 1 && !r.kills);
  const baseTasks = baseline?.portals.map((p) => p.tasksDecided).join(',');
  for (const r of results) {
    const same = r.portals.map((p) => p.tasksDecided).join(',') === baseTasks;
    if (baseline && r !== baseline) console.log(`${r.label}: tasks decided per portal ${same ? 'equal' : 'DIFFER from'} the 1-worker run's (${r.portals.map((p) => p.tasksDecided).join(', ')})`);
  }
  const four = results.find((r) => r.workers === 4 && !r.kills);
  if (baseline && four) console.log(`wall time 1 worker / 4 workers: ${Math.round((baseline.wallSeconds / four.wallSeconds) * 100) / 100}x  (goal >= 3 with 4 portals)`);
  if (four) console.log(`4 workers: lowest portal rate vs limit ${Math.min(...four.portals.map((p) => p.rateVsLimit))}  (goal >= 0.9)`);
  const all = results.flatMap((r) => r.portals);
  console.log(`duplicates ${all.reduce((n, p) => n + p.duplicates, 0)}, missing ${all.reduce((n, p) => n + p.missing, 0)}, 429s ${all.reduce((n, p) => n + p.rejected429, 0)}  (goal 0 each, every run)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
