import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createContext, type ServiceContext } from '../backend/src/app-context';
import { loadCriteria } from '../backend/src/config/load-criteria';
import { defaultCallPolicy } from '../backend/src/crm/hubspot/call-hubspot';
import { HubSpotCrm } from '../backend/src/crm/hubspot/hubspot-crm';
import { PortalLimiter } from '../backend/src/crm/hubspot/portal-limiter';
import { staticToken } from '../backend/src/crm/hubspot/token-store';
import type { ReferenceNeed } from '../backend/src/domain/reference-types';
import { openPglite, type Db } from '../backend/src/store/db';
import { migrate } from '../backend/src/store/migrate';
import { advocateIndex } from '../backend/src/use-cases/advocate-cache';
import { drainChangeEvents, storeChangeEvents } from '../backend/src/use-cases/change-event-queue';
import { evaluateAndAct } from '../backend/src/use-cases/evaluate-and-act';
import { contactsOf, startHubSpotStub } from './support/hubspot-stub';

// bench/webhooks: one webhook burst naming 1,000 changed companies of a 10,000-company portal,
// drained through the HubSpot adapter against the local stub (190 requests per rolling 10 s,
// time scaled). Prints, all measured in this run:
//   - API calls of the batched drain / the minimum HubSpot's batch limits allow (goal <= 1.1),
//     beside the per-account path (each account evaluated on its own, as the drain did before:
//     evaluate-and-act's single-account form, still the workflow action's path) on a fresh store;
//   - the first reference match after a restart (a new context on the same store: the stored
//     index, no CRM read) against the full CRM read the first match needed before, and against
//     a match on the index already in memory.
//
//   npm run build && node dist/bench/webhooks.js [--companies 10000] [--burst 1000] [--scale 20]

const PORTAL = 'hubspot:bench';
const NOW = new Date('2026-11-24T09:00:00.000Z');

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at !== -1 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

const companyId = (i: number) => String(1_000_000 + i);
const ms = (t: number) => Math.round(t * 10) / 10;

async function openStore(dir: string, name: string): Promise<Db> {
  const db = await openPglite(join(dir, name));
  await migrate(db);
  return db;
}

async function main() {
  const companies = Number(arg('companies', '10000'));
  const burst = Number(arg('burst', '1000'));
  const scale = Number(arg('scale', '20'));
  const stub = await startHubSpotStub({ companies, scale });
  const dir = mkdtempSync(join(tmpdir(), 'advocacy-webhooks-bench-'));
  const criteria = loadCriteria();
  const crmOn = (db: Db) =>
    new HubSpotCrm({
      portalId: PORTAL,
      db,
      auth: staticToken('bench'),
      basePath: stub.url,
      limiter: new PortalLimiter({ perWindow: 190, windowMs: stub.windowMs, maxConcurrent: 8, marginShare: 0.01 }),
      policy: { ...defaultCallPolicy(), rateLimitWaitMs: 1000 / scale, baseDelayMs: 500 / scale },
    });
  const contextOn = (db: Db, crm: HubSpotCrm): Promise<ServiceContext> =>
    createContext({ LOG_LEVEL: 'silent' }, { db, crmFor: () => crm, now: () => NOW, criteria, logger: pino({ level: 'silent' }) });
  // Spread over the portfolio, as a real burst would be, without a fixed stride (the stub's
  // companies repeat their signals with the index, so every tenth would all be alike).
  const stride = Math.max(1, Math.floor(companies / burst));
  const changed = Array.from({ length: burst }, (_, k) => k * stride + ((k * 7) % stride));
  const since = () => ({ calls: stub.stats.calls, ...stub.stats.records });
  const delta = (a: ReturnType<typeof since>) => {
    const b = since();
    return { calls: b.calls - a.calls, tasks: b.tasks - a.tasks, asks: b.asks - a.asks, companyUpdates: b.companyUpdates - a.companyUpdates, contactsRead: b.contactsRead - a.contactsRead };
  };

  // 1. The per-account path, on its own store.
  process.stderr.write(`per-account path: ${burst} companies one by one...\n`);
  const oldDb = await openStore(dir, 'per-account');
  const oldCtx = await contextOn(oldDb, crmOn(oldDb));
  let at = since();
  let started = performance.now();
  for (const i of changed) await evaluateAndAct(oldCtx, PORTAL, companyId(i), 'hubspot:webhook');
  const perAccount = { ...delta(at), seconds: (performance.now() - started) / 1000 };
  await oldDb.close();

  // 2. The same burst as webhook events, drained in batches.
  process.stderr.write(`batched drain: ${burst} events...\n`);
  const db = await openStore(dir, 'batched');
  const ctx = await contextOn(db, crmOn(db));
  await storeChangeEvents(ctx, PORTAL, changed.map((i) => ({ eventId: `burst:${i}`, accountId: companyId(i) })), 'bench');
  at = since();
  started = performance.now();
  const drained = await drainChangeEvents(ctx, PORTAL);
  const batched = { ...delta(at), seconds: (performance.now() - started) / 1000 };
  const contacts = changed.reduce((n, i) => n + contactsOf(i), 0);
  const minimum =
    Math.ceil(burst / 100) + // companies batch reads
    Math.ceil(burst / 1000) + // v4 association batch reads
    Math.ceil(contacts / 100) + // contact batch reads
    1 + // owners (97 fit one page)
    (batched.asks > 0 ? 1 : 0) + // the ask schema, once
    Math.ceil(batched.tasks / 100) +
    Math.ceil(batched.asks / 100) +
    Math.ceil(batched.companyUpdates / 100);

  // 3. Reference matches: the full read a first match needed, one in memory, one after a restart.
  process.stderr.write(`reference index: full read of ${companies} companies...\n`);
  const need: ReferenceNeed = { askType: 'reference_call', industry: 'COMPUTER_SOFTWARE', sizeBand: null, region: 'Germany', product: null, useCase: null, competitor: null, language: null, dueOn: null };
  at = since();
  started = performance.now();
  const built = (await advocateIndex(ctx, PORTAL)).match(need, 10, { excludeAccountId: null });
  const fullRead = { ms: performance.now() - started, calls: delta(at).calls };
  const inMemory: number[] = [];
  for (let k = 0; k < 20; k++) {
    started = performance.now();
    (await advocateIndex(ctx, PORTAL)).match(need, 10, { excludeAccountId: null });
    inMemory.push(performance.now() - started);
  }
  inMemory.sort((a, b) => a - b);
  const restarted = await contextOn(db, crmOn(db));
  at = since();
  started = performance.now();
  const afterRestart = (await advocateIndex(restarted, PORTAL)).match(need, 10, { excludeAccountId: null });
  const restart = { ms: performance.now() - started, calls: delta(at).calls };
  const same = JSON.stringify(afterRestart) === JSON.stringify(built);
  await db.close();
  stub.server.close();
  rmSync(dir, { recursive: true, force: true });

  const inMemoryMedian = inMemory[Math.floor(inMemory.length / 2)];
  console.log(`\nbench/webhooks: ${burst} companies changed in one burst, of ${companies}, through @hubspot/api-client against the local stub (190 requests / rolling 10 s, time scale ${scale}x)`);
  console.table({
    'batched drain': { apiCalls: batched.calls, tasks: batched.tasks, asks: batched.asks, companyUpdates: batched.companyUpdates, seconds: ms(batched.seconds) },
    'per-account path': { apiCalls: perAccount.calls, tasks: perAccount.tasks, asks: perAccount.asks, companyUpdates: perAccount.companyUpdates, seconds: ms(perAccount.seconds) },
  });
  console.log(`drain: evaluated ${drained.evaluated}, failed ${drained.failed}, stopped ${drained.stopped ?? 'no'}; 429s answered by the stub in the whole run: ${stub.stats.rejected429}; oversized batches: ${stub.stats.oversized}`);
  console.log(`API calls / batch minimum: ${batched.calls} / ${minimum} = ${(batched.calls / minimum).toFixed(3)}  (goal <= 1.1)`);
  console.log(`per-account path / batched drain: ${perAccount.calls} / ${batched.calls} = ${(perAccount.calls / batched.calls).toFixed(2)}x the calls (${(perAccount.calls / burst).toFixed(2)} vs ${(batched.calls / burst).toFixed(3)} per company)`);
  console.log(`first match after a restart: ${ms(restart.ms)} ms, ${restart.calls} CRM calls, same ranked matches as before the restart: ${same}`);
  console.log(`  vs the full CRM read the first match needed before: ${ms(fullRead.ms)} ms here (time scale ${scale}x), ${fullRead.calls} calls (at least ${(fullRead.calls / 19).toFixed(1)} s at HubSpot's real 190 per 10 s); ratio ${(fullRead.ms / restart.ms).toFixed(1)}x`);
  console.log(`  vs a match on the index in memory (median of ${inMemory.length}): ${inMemoryMedian.toFixed(3)} ms; ratio ${(restart.ms / inMemoryMedian).toFixed(0)}x`);
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
