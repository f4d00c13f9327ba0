import pino from 'pino';
import { createContext } from '../backend/src/app-context';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCriteria } from '../backend/src/config/load-criteria';
import { LocalCrm } from '../backend/src/crm/local/local-crm';
import { generatePortfolio } from '../backend/src/demo/generate-portfolio';
import { applyDataset } from '../backend/src/import/dataset';
import { runScan } from '../backend/src/jobs/scan-portfolio';
import { ephemeralKeyring } from '../backend/src/store/audit-keys';
import { openPglite, openPostgres, type Db } from '../backend/src/store/db';
import { migrate } from '../backend/src/store/migrate';

// bench/scan: the portfolio scan at 10,000 and 100,000 accounts, each size in its own process
// (so one size's memory does not colour the other), on the embedded store. Prints decisions
// per second and peak memory for each, and the ratios 100k/10k: linear time means <= 11,
// flat memory means <= 1.5 (the scan pages; it never holds the portfolio).
//
//   npm run build && node dist/bench/scan.js [--sizes 10000,100000]

const AS_OF = '2026-11-24';
const SEED = 4242;

interface Measure {
  accounts: number;
  seconds: number;
  decisionsPerSecond: number;
  peakRssMb: number;
  peakHeapMb: number;
  baseRssMb: number;
  tasks: number;
}

async function child(accounts: number): Promise<Measure> {
  const dir = mkdtempSync(join(tmpdir(), 'advocacy-bench-'));
  try {
    // DATABASE_URL set: a PostgreSQL server (a fresh schema, dropped after); else PGlite on disk.
    let db: Db;
    let dropSchema = async () => {};
    if (process.env.DATABASE_URL) {
      const schema = `bench_${process.pid}`;
      const admin = await openPostgres(process.env.DATABASE_URL, { max: 1 });
      await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
      // The bench's schema is dropped after the run: a key for this run only is enough.
      db = await openPostgres(process.env.DATABASE_URL, { schema, max: 4, auditKeys: ephemeralKeyring() });
      dropSchema = async () => {
        await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
        await admin.close();
      };
    } else {
      db = await openPglite(join(dir, 'data'));
    }
    await migrate(db);
    const chunk = 2000;
    for (let from = 0; from < accounts; from += chunk) {
      const ds = generatePortfolio({ seed: SEED, accounts, asOf: AS_OF, from, count: chunk });
      await db.transaction((tx) => applyDataset(tx, 'bench', ds));
    }
    // A freshly bulk-loaded store is not a steady state: without this, the first reads of each
    // row set hint bits and the planner has no statistics (and a server's autovacuum would
    // kick in mid-scan), which says more about loading than about the scan.
    await db.exec('VACUUM ANALYZE');
    if (db.kind === 'pglite') await db.query('CHECKPOINT');
    global.gc?.();
    const base = process.memoryUsage();
    let peakRss = base.rss;
    let peakHeap = base.heapUsed;
    const timer = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 20);
    const started = process.hrtime.bigint();
    // The store as the app builds it: the stored reference index is ranked in each page's transaction.
    const appStore = (await createContext({ LOG_LEVEL: 'silent' }, { db, crmFor: () => new LocalCrm(db, 'bench'), now: () => new Date(`${AS_OF}T09:00:00.000Z`), criteria: loadCriteria(), logger: pino({ level: 'silent' }) })).store;
    const result = await runScan(
      { store: appStore, crm: new LocalCrm(db, 'bench'), criteria: loadCriteria(), portalId: 'bench', now: () => new Date(`${AS_OF}T09:00:00.000Z`) },
      { asOf: AS_OF, pageSize: 500 },
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    clearInterval(timer);
    await db.close();
    await dropSchema();
    const mb = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;
    return {
      accounts,
      seconds: Math.round(seconds * 100) / 100,
      decisionsPerSecond: Math.round(result.summary.evaluated / seconds),
      peakRssMb: mb(peakRss),
      peakHeapMb: mb(peakHeap),
      baseRssMb: mb(base.rss),
      tasks: result.tasksCreated,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main() {
  const arg = process.argv.indexOf('--child');
  if (arg !== -1) {
    child(Number(process.argv[arg + 1])).then((m) => process.stdout.write(JSON.stringify(m)));
    return;
  }
  const sizesArg = process.argv.indexOf('--sizes');
  const sizes = sizesArg !== -1 ? process.argv[sizesArg + 1].split(',').map(Number) : [10_000, 100_000];
  const results: Measure[] = sizes.map((n) => {
    process.stderr.write(`scanning ${n} accounts (seeding first; not timed)...\n`);
    return JSON.parse(execFileSync(process.execPath, ['--expose-gc', __filename, '--child', String(n)], { encoding: 'utf8', maxBuffer: 1 << 20 })) as Measure;
  });
  console.log(`\nbench/scan: portfolio scan on ${process.env.DATABASE_URL ? 'a PostgreSQL server (DATABASE_URL)' : 'the embedded store (PGlite, on disk)'}, page size 500`);
  console.table(results);
  if (results.length >= 2) {
    const [small, large] = [results[0], results[results.length - 1]];
    const sizeRatio = large.accounts / small.accounts;
    const timeRatio = large.seconds / small.seconds;
    const rssRatio = large.peakRssMb / small.peakRssMb;
    const heapRatio = large.peakHeapMb / small.peakHeapMb;
    console.log(`size ratio            ${sizeRatio}x`);
    console.log(`time ratio            ${timeRatio.toFixed(2)}  (goal <= ${(sizeRatio * 1.1).toFixed(0)}: linear)`);
    console.log(`peak RSS ratio        ${rssRatio.toFixed(2)}  (goal <= 1.5: flat)`);
    console.log(`peak JS heap ratio    ${heapRatio.toFixed(2)}`);
  }
}

main();
