import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCriteria } from '../backend/src/config/load-criteria';
import { defaultCallPolicy } from '../backend/src/crm/hubspot/call-hubspot';
import { HubSpotCrm } from '../backend/src/crm/hubspot/hubspot-crm';
import { PortalLimiter } from '../backend/src/crm/hubspot/portal-limiter';
import { staticToken } from '../backend/src/crm/hubspot/token-store';
import { plusDays } from '../backend/src/domain/calendar';
import { decisionKey } from '../backend/src/domain/decision-holds';
import { refreshPortfolio } from '../backend/src/jobs/refresh-portfolio';
import { runScan } from '../backend/src/jobs/scan-portfolio';
import { openPglite } from '../backend/src/store/db';
import { migrate } from '../backend/src/store/migrate';
import { createStore } from '../backend/src/store/pg-store';
import { MIGRATIONS } from '../backend/src/store/migrations';
import { startHubSpotStub } from './support/hubspot-stub';

// bench/incremental: the daily refresh (jobs/refresh-portfolio) through the HubSpot adapter on
// the HubSpot stub (CRM search with its filters, paging, 10,000 cap and 5/s limit; batch reads;
// hs_lastmodifieddate stamped on every edit and on the app's own write-backs). Day 1 is a full
// scan; then every simulated day 1% of companies change (half a company's health score, half
// one contact's NPS answer, as users would, during the previous afternoon) and the refresh
// runs at 06:00 with time moving forward. Each day prints:
//   - API calls of the incremental refresh vs a full scan of the same day (goal <= 5%): the full
//     scan's reads are measured (a dry run of the real scan over the same store state, before
//     the refresh writes) and its writes are one company update per 100 accounts (a full scan
//     writes every account back), plus the same task and ask creates the refresh made;
//   - decisions: every account's decision as the refresh holds it (re-evaluated today, or held
//     from the day it was last evaluated) against the full scan's of that day, compared with
//     domain/decision-holds decisionKey (decision, ask, contact, band, reasons, skipped asks);
//     differences (goal 0 every day). The dry run writes nothing, so it judges what a full scan
//     on a copy of the store would judge.
// FULL_SCAN_EVERY_DAYS is set past the run so every day after the first is incremental, and
// REFRESH_OVERLAP_MINUTES to 0: the simulated days pass in seconds of the database's real
// clock, so a 15-minute allowance would re-read every earlier day's writes (in service, days
// are a day apart and the allowance re-reads only the last 15 minutes before a refresh).
//
//   npm run build && node dist/bench/incremental.js [--companies 100000] [--days 30] [--change 0.01] [--scale 50]

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at !== -1 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

/** mulberry32: a seeded generator, so every run changes the same companies. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PORTAL = 'hubspot:bench';
const DAY1 = '2026-11-24';

async function main() {
  const companies = Number(arg('companies', '100000'));
  const days = Number(arg('days', '30'));
  const share = Number(arg('change', '0.01'));
  const scale = Number(arg('scale', '50'));
  const rnd = random(14);
  let clock = Date.parse(`${DAY1}T06:00:00.000Z`);
  const stub = await startHubSpotStub({ companies, scale, clock: () => clock });
  const dir = mkdtempSync(join(tmpdir(), 'advocacy-incremental-bench-'));
  const db = await openPglite(join(dir, 'data'));
  await migrate(db, MIGRATIONS);
  const store = createStore(db);
  const crm = new HubSpotCrm({
    portalId: PORTAL,
    db,
    auth: staticToken('bench'),
    basePath: stub.url,
    limiter: new PortalLimiter({ perWindow: 190, windowMs: stub.windowMs, maxConcurrent: 8, marginShare: 0.01 }),
    policy: { ...defaultCallPolicy(), rateLimitWaitMs: 1000 / scale, baseDelayMs: 500 / scale },
    // The search's 5/s spacing in the stub's time.
    sleep: (ms) => new Promise((r) => setTimeout(r, ms / scale)),
  });
  const criteria = loadCriteria();
  const deps = { store, crm, criteria, portalId: PORTAL, now: () => new Date(clock), fullEveryDays: days + 1, overlapMinutes: 0 };

  const rows: Array<Record<string, string | number>> = [];
  process.stderr.write(`day 1 (${DAY1}): full scan of ${companies} companies...\n`);
  let before = stub.stats.calls;
  const first = await refreshPortfolio(deps, { asOf: DAY1, pageSize: 1000 });
  const fullCalls = stub.stats.calls - before;
  rows.push({ day: 1, date: DAY1, mode: first.mode, changed: 0, reEvaluated: first.summary.evaluated, incrementalCalls: fullCalls, fullScanCalls: fullCalls, share: '100%', differences: 0 });

  for (let d = 2; d <= days; d++) {
    const date = plusDays(DAY1, d - 1);
    // Yesterday afternoon, users changed 1% of the companies.
    clock = Date.parse(`${plusDays(date, -1)}T14:00:00.000Z`);
    const changed = new Set<number>();
    while (changed.size < Math.round(companies * share)) changed.add(Math.floor(rnd() * companies));
    for (const i of changed) {
      if (rnd() < 0.5) stub.edit.company(i, { health_score: String(40 + Math.floor(rnd() * 61)) });
      else {
        const contacts = stub.idsOf(i).contactIds;
        stub.edit.contact(contacts[Math.floor(rnd() * contacts.length)], { nps_score: String(Math.floor(rnd() * 11)), nps_date: plusDays(date, -1) });
      }
    }
    clock = Date.parse(`${date}T06:00:00.000Z`);

    // The full scan of the same day, judging the same store state (a dry run writes nothing).
    process.stderr.write(`day ${d} (${date}): full scan (dry run) and incremental refresh...\n`);
    before = stub.stats.calls;
    const full = new Map<string, string>();
    await runScan(deps, { asOf: date, dryRun: true, pageSize: 1000, onDecision: (x) => void full.set(x.evaluation.accountId, decisionKey(x.evaluation)) });
    const fullReads = stub.stats.calls - before;

    before = stub.stats.calls;
    const creates = { tasks: stub.stats.records.tasks, asks: stub.stats.records.asks };
    const refresh = await refreshPortfolio(deps, { asOf: date, pageSize: 1000 });
    const incrementalCalls = stub.stats.calls - before;
    const createCalls = Math.ceil((stub.stats.records.tasks - creates.tasks) / 100) + Math.ceil((stub.stats.records.asks - creates.asks) / 100);
    const fullScanCalls = fullReads + Math.ceil(companies / 100) + createCalls;

    const held = await store.refresh.heldKeys(PORTAL);
    let differences = 0;
    for (const [accountId, key] of full) if (held.get(accountId) !== key) differences++;
    differences += [...held.keys()].filter((id) => !full.has(id)).length;
    rows.push({
      day: d,
      date,
      mode: refresh.mode,
      changed: changed.size,
      reEvaluated: refresh.newlyEvaluated,
      due: refresh.selected?.due ?? 0,
      crmChanged: refresh.selected?.crmChanged ?? 0,
      storeChanged: refresh.selected?.storeChanged ?? 0,
      incrementalCalls,
      fullScanCalls,
      share: `${((incrementalCalls / fullScanCalls) * 100).toFixed(2)}%`,
      differences,
    });
    process.stderr.write(`  ${JSON.stringify(rows.at(-1))}\n`);
  }
  await db.close();
  rmSync(dir, { recursive: true, force: true });
  stub.server.close();

  console.log(`\nbench/incremental: ${companies} companies on the HubSpot stub, ${days} days, ${share * 100}% of companies changed per day (time scale ${scale}x)`);
  console.table(rows);
  const later = rows.slice(1);
  const worst = later.reduce((m, r) => Math.max(m, Number(String(r.share).replace('%', ''))), 0);
  console.log(`incremental calls / full scan calls: worst day ${worst.toFixed(2)}%, mean ${(later.reduce((s, r) => s + Number(String(r.share).replace('%', '')), 0) / Math.max(1, later.length)).toFixed(2)}%  (goal <= 5%)`);
  console.log(`decision differences vs a full scan of the same day: ${later.map((r) => r.differences).join(', ')}  (goal 0 every day; total ${later.reduce((s, r) => s + Number(r.differences), 0)})`);
  console.log(`429s: ${stub.stats.rejected429}; search calls: ${stub.stats.records.searched}; oversized batches: ${stub.stats.oversized}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
