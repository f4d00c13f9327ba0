import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCriteria } from '../backend/src/config/load-criteria';
import { defaultCallPolicy } from '../backend/src/crm/hubspot/call-hubspot';
import { HubSpotCrm } from '../backend/src/crm/hubspot/hubspot-crm';
import { PortalLimiter } from '../backend/src/crm/hubspot/portal-limiter';
import { staticToken } from '../backend/src/crm/hubspot/token-store';
import { runScan } from '../backend/src/jobs/scan-portfolio';
import { openPglite } from '../backend/src/store/db';
import { migrate } from '../backend/src/store/migrate';
import { createStore } from '../backend/src/store/pg-store';
import { MIGRATIONS } from '../backend/src/store/migrations';
import { startHubSpotStub, totalContacts } from './support/hubspot-stub';

// bench/hubspot-scan: the real portfolio scan (jobs/scan-portfolio) through the HubSpot adapter
// against a local stub that answers like HubSpot and enforces 190 requests per rolling 10 s.
// Time is scaled (default 2: HubSpot's 10 s window is 5 s here) and reported in HubSpot
// seconds. Scaling further makes the scan's own work on the embedded store (PGlite, about
// 1 ms per company) the bottleneck instead of the API budget, which is not what this measures. Prints, at 10,000 and 50,000 companies (each in its own process):
//   - API calls made / the minimum HubSpot's batch limits allow (goal <= 1.1)
//   - simulated wall time / the rate-limit floor, calls / 19 per second (goal <= 1.2)
//   - 429s (goal 0)
//
//   npm run build && node dist/bench/hubspot-scan.js [--scale 2] [--sizes 10000,50000]

const AS_OF = '2026-11-24';
const PAGE = 1000;

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at !== -1 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

async function child(companies: number, scale: number) {
  const stub = await startHubSpotStub({ companies, scale });
  const dir = mkdtempSync(join(tmpdir(), 'advocacy-hs-bench-'));
  const db = await openPglite(join(dir, 'data'));
  await migrate(db, MIGRATIONS);
  const crm = new HubSpotCrm({
    portalId: 'hubspot:bench',
    db,
    auth: staticToken('bench'),
    basePath: stub.url,
    // The adapter's limiter on the same scaled window as the stub.
    limiter: new PortalLimiter({ perWindow: 190, windowMs: stub.windowMs, maxConcurrent: 8, marginShare: 0.01 }),
    policy: { ...defaultCallPolicy(), rateLimitWaitMs: 1000 / scale, baseDelayMs: 500 / scale },
  });
  const started = performance.now();
  const result = await runScan({ store: createStore(db), crm, criteria: loadCriteria(), portalId: 'hubspot:bench', now: () => new Date(`${AS_OF}T09:00:00.000Z`) }, { asOf: AS_OF, pageSize: PAGE });
  const realSeconds = (performance.now() - started) / 1000;
  await db.close();
  rmSync(dir, { recursive: true, force: true });
  stub.server.close();

  const { records, calls } = stub.stats;
  const minimum =
    Math.ceil(companies / 100) + // company pages
    Math.ceil(companies / 1000) + // v4 association reads
    Math.ceil(totalContacts(companies) / 100) + // contact batch reads
    1 + // owners (97 fit one page of 500)
    1 + // the ask schema, once
    Math.ceil(records.tasks / 100) +
    Math.ceil(records.asks / 100) +
    Math.ceil(records.companyUpdates / 100);
  const simulated = realSeconds * scale;
  const floor = calls / 19;
  return {
    companies,
    status: result.status,
    evaluated: result.summary.evaluated,
    tasks: records.tasks,
    asks: records.asks,
    apiCalls: calls,
    minimumCalls: minimum,
    callRatio: Math.round((calls / minimum) * 1000) / 1000,
    simulatedSeconds: Math.round(simulated * 10) / 10,
    floorSeconds: Math.round(floor * 10) / 10,
    wallRatio: Math.round((simulated / floor) * 1000) / 1000,
    rejected429: stub.stats.rejected429,
    oversizedBatches: stub.stats.oversized,
    realSeconds: Math.round(realSeconds * 10) / 10,
    byKind: stub.stats.byKind,
  };
}

function main() {
  const at = process.argv.indexOf('--child');
  if (at !== -1) {
    child(Number(process.argv[at + 1]), Number(process.argv[at + 2])).then((m) => process.stdout.write(JSON.stringify(m)));
    return;
  }
  const scale = Number(arg('scale', '2'));
  const sizes = arg('sizes', '10000,50000').split(',').map(Number);
  const results = sizes.map((n) => {
    process.stderr.write(`scanning ${n} companies through the HubSpot adapter (time scale ${scale}x)...\n`);
    return JSON.parse(execFileSync(process.execPath, [__filename, '--child', String(n), String(scale)], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 })) as Awaited<ReturnType<typeof child>>;
  });
  console.log(`\nbench/hubspot-scan: scan through @hubspot/api-client against a local stub enforcing 190 requests / rolling 10 s (time scale ${scale}x; seconds below are HubSpot seconds)`);
  console.table(results.map(({ byKind: _byKind, ...r }) => r));
  for (const r of results) console.log(`${r.companies}: ${Object.entries(r.byKind).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(`API calls / minimum: ${results.map((r) => `${r.companies}: ${r.callRatio}`).join(', ')}  (goal <= 1.1)`);
  console.log(`simulated wall / floor (calls / 19 per s): ${results.map((r) => `${r.companies}: ${r.wallRatio}`).join(', ')}  (goal <= 1.2)`);
  console.log(`429s: ${results.map((r) => `${r.companies}: ${r.rejected429}`).join(', ')}  (goal 0)`);
}

main();
