import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from 'jsforce';
import { loadCriteria } from '../backend/src/config/load-criteria';
import { SalesforceCrm } from '../backend/src/crm/salesforce/salesforce-crm';
import { runScan } from '../backend/src/jobs/scan-portfolio';
import { openPglite } from '../backend/src/store/db';
import { migrate } from '../backend/src/store/migrate';
import { createStore } from '../backend/src/store/pg-store';
import { startSalesforceStub } from './support/salesforce-stub';

// bench/salesforce-scan: the portfolio scan through the Salesforce adapter against a local
// stub of the REST API, at 10,000 and 100,000 accounts (each in its own process). Prints the
// API calls made against the minimum (accounts / 2,000 query pages + ceil(writes / 200)
// collection calls + one SystemModstamp read-back per 200 Account write-backs, which the
// incremental refresh needs to tell its own writes apart) and peak memory at both sizes.
//
//   npm run build && node dist/bench/salesforce-scan.js

const AS_OF = '2026-11-24';

async function child(accounts: number) {
  const stub = await startSalesforceStub(accounts);
  // The store on disk, as in production: an in-memory store would grow with the run and hide
  // whether the scan itself stays flat.
  const dir = mkdtempSync(join(tmpdir(), 'advocacy-sf-bench-'));
  const db = await openPglite(join(dir, 'data'));
  await migrate(db);
  const conn = new Connection({ instanceUrl: stub.url, accessToken: 'bench', version: '62.0' });
  const crm = new SalesforceCrm(conn);
  global.gc?.();
  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 20);
  const started = process.hrtime.bigint();
  const result = await runScan({ store: createStore(db), crm, criteria: loadCriteria(), portalId: 'salesforce:bench', now: () => new Date(`${AS_OF}T09:00:00.000Z`) }, { asOf: AS_OF, pageSize: 4000 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(timer);
  await db.close();
  rmSync(dir, { recursive: true, force: true });
  stub.server.close();
  const writes = stub.stats.records;
  const minimum = Math.ceil(accounts / 2000) + Math.ceil(writes / 200) + Math.ceil(stub.stats.accountUpdates / 200);
  return {
    accounts,
    evaluated: result.summary.evaluated,
    seconds: Math.round(seconds * 10) / 10,
    apiCalls: stub.stats.calls,
    queryCalls: stub.stats.queryCalls,
    collectionCalls: stub.stats.collectionCalls,
    recordsWritten: writes,
    readBackCalls: stub.stats.byQuery['modstamps by id'] ?? 0,
    minimumCalls: minimum,
    callRatio: Math.round((stub.stats.calls / minimum) * 1000) / 1000,
    rejected200: stub.stats.rejected,
    peakRssMb: Math.round(peakRss / 1048576),
    peakHeapMb: Math.round(peakHeap / 1048576),
  };
}

function main() {
  const arg = process.argv.indexOf('--child');
  if (arg !== -1) {
    child(Number(process.argv[arg + 1])).then((m) => process.stdout.write(JSON.stringify(m)));
    return;
  }
  const sizes = [10_000, 100_000];
  const results = sizes.map((n) => {
    process.stderr.write(`scanning ${n} accounts through the Salesforce adapter...\n`);
    return JSON.parse(execFileSync(process.execPath, ['--expose-gc', __filename, '--child', String(n)], { encoding: 'utf8' }));
  });
  console.log('\nbench/salesforce-scan: scan through jsforce against a local REST stub (query pages of 2,000, scan pages of 4,000, collections of 200)');
  console.table(results);
  console.log(`API calls / minimum: ${results.map((r) => `${r.accounts}: ${r.callRatio}`).join(', ')}  (goal <= 1.1)`);
  console.log(`peak RSS 100k / 10k: ${(results[1].peakRssMb / results[0].peakRssMb).toFixed(2)}  (goal flat, <= 1.5); JS heap ${(results[1].peakHeapMb / results[0].peakHeapMb).toFixed(2)}`);
}

main();
