import { LocalCrm } from '../../../backend/src/crm/local/local-crm';
import type { CrmPort } from '../../../backend/src/crm/port';
import { applyDataset } from '../../../backend/src/import/dataset';
import type { ReferenceNeed } from '../../../backend/src/domain/reference-types';
import type { Db } from '../../../backend/src/store/db';
import { AdvocateIndex } from '../../../backend/src/domain/reference-match';
import { advocateIndex, advocatesOfAccounts } from '../../../backend/src/use-cases/advocate-cache';
import { drainChangeEvents, storeChangeEvents } from '../../../backend/src/use-cases/change-event-queue';
import { eraseContact } from '../../../backend/src/use-cases/erase-contact';
import { buildConsent, championsDataset } from '../../support/builders';
import { testContext } from '../../support/context';
import { openTestDb, storeKinds } from '../../support/store';

// The reference index kept in the store: a restart answers from it, and the apply path
// rewrites it in the transaction that changes an account's asks or consents.

const PORTAL = 'local';
const need: ReferenceNeed = { askType: 'reference_call', industry: 'SaaS', sizeBand: null, region: 'NA', product: null, useCase: null, competitor: null, language: null, dueOn: null };

/** The local CRM, counting every read of accounts. */
function counting(db: Db) {
  const local = new LocalCrm(db, PORTAL);
  const reads = { n: 0 };
  const crm = new Proxy(local, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (['listAccounts', 'getAccount', 'getAccounts', 'countAccounts'].includes(String(prop))) reads.n++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as CrmPort;
  return { crm, reads };
}

/** What a full CRM read ranks for the context's day (a store with no index yet). */
async function advocateIndexFromCrm(ctx: Awaited<ReturnType<typeof testContext>>) {
  const page = await ctx.crmFor(PORTAL).listAccounts({ cursor: null, limit: 1000 });
  return new AdvocateIndex([...(await advocatesOfAccounts(ctx, PORTAL, page.items)).values()].flat());
}

const ranked = (index: Awaited<ReturnType<typeof advocateIndex>>) => index.match(need, 10, { excludeAccountId: null });
const storedAdvocate = async (db: Db, accountId: string) =>
  (await db.query<{ advocates: Array<{ contactId: string; consentedTo: string[] }> }>(`SELECT advocates FROM reference_index WHERE portal_id = $1 AND account_id = $2`, [PORTAL, accountId])).rows[0]?.advocates[0];

describe.each(storeKinds())('the reference index kept in the store (%s)', (kind) => {
  let db: Db;
  beforeEach(async () => {
    db = await openTestDb(kind);
    await db.transaction((tx) => applyDataset(tx, PORTAL, championsDataset(Array.from({ length: 5 }, (_, i) => ({ id: `acc-${i}`, account: { healthScore: 70 + 5 * i } })))));
  });
  afterEach(async () => db.close());

  it('when the service restarts (a new context on the same store), then the first match reads nothing from the CRM and ranks the same advocates as before', async () => {
    const before = counting(db);
    const first = await testContext(db, { crmFor: () => before.crm });
    const matches = ranked(await advocateIndex(first, PORTAL));
    expect(before.reads.n).toBeGreaterThan(0); // the portal's one full read
    expect(JSON.stringify(matches)).toContain('con-acc-4');

    const after = counting(db);
    const restarted = await testContext(db, { crmFor: () => after.crm });
    expect(ranked(await advocateIndex(restarted, PORTAL))).toEqual(matches);
    expect(after.reads.n).toBe(0);
  });

  it('when the service restarts on a later day, then the first match answers from the stored rows ranked for that day while the day\'s full read runs behind it', async () => {
    const monday = await testContext(db, { crmFor: () => new LocalCrm(db, PORTAL), now: '2026-11-23T09:00:00.000Z' });
    await advocateIndex(monday, PORTAL);
    // Tuesday's CRM holds every full read until released: the first match must not wait for it.
    const local = new LocalCrm(db, PORTAL);
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    let fullReads = 0;
    const slow = new Proxy(local, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (prop !== 'listAccounts') return typeof value === 'function' ? value.bind(target) : value;
        return async (page: Parameters<CrmPort['listAccounts']>[0]) => {
          fullReads++;
          await held;
          return local.listAccounts(page);
        };
      },
    }) as CrmPort;
    const tuesday = await testContext(db, { crmFor: () => slow, now: '2026-11-24T09:00:00.000Z' });
    const index = await advocateIndex(tuesday, PORTAL);
    expect(index.advocates.map((a) => a.accountId).sort()).toEqual(['acc-0', 'acc-1', 'acc-2', 'acc-3', 'acc-4']);
    const fresh = await testContext(db, { crmFor: () => new LocalCrm(db, PORTAL), now: '2026-11-24T09:00:00.000Z' });
    expect(ranked(index)).toEqual(ranked(await advocateIndexFromCrm(fresh)));
    expect(fullReads).toBe(1); // started behind the answer
    release();
  });

  it('when a consent is recorded, then the stored index has it in the same transaction, and a transaction that rolls back leaves the index as it was', async () => {
    const ctx = await testContext(db, { crmFor: () => new LocalCrm(db, PORTAL) });
    await advocateIndex(ctx, PORTAL);
    expect((await storedAdvocate(db, 'acc-1'))?.consentedTo).toEqual([]);

    const consent = buildConsent({ consentId: 'c-1', accountId: 'acc-1', contactId: 'con-acc-1', scope: 'logo', grantedOn: '2026-11-01' });
    const failed = await ctx.store
      .transaction(async (tx) => {
        await tx.consents.upsert(PORTAL, [consent]);
        throw new Error('the caller failed after writing');
      })
      .catch((e: Error) => e.message);
    expect(failed).toBe('the caller failed after writing');
    expect((await storedAdvocate(db, 'acc-1'))?.consentedTo).toEqual([]);

    const seenInside = await ctx.store.transaction(async (tx) => {
      await tx.consents.upsert(PORTAL, [consent]);
      return 'committed';
    });
    expect(seenInside).toBe('committed');
    expect((await storedAdvocate(db, 'acc-1'))?.consentedTo).toEqual(['logo']);
    // The process's own index heard of it too, and so does a restarted one, without a CRM read.
    expect((await advocateIndex(ctx, PORTAL)).advocates.find((a) => a.contactId === 'con-acc-1')?.consentedTo).toEqual(['logo']);
    const after = counting(db);
    const restarted = await testContext(db, { crmFor: () => after.crm });
    expect((await advocateIndex(restarted, PORTAL)).advocates.find((a) => a.contactId === 'con-acc-1')?.consentedTo).toEqual(['logo']);
    expect(after.reads.n).toBe(0);
  });

  it('when a change event is drained, then the index holds the signals the drain read (in its apply transaction), with no CRM read of its own', async () => {
    const counted = counting(db);
    const ctx = await testContext(db, { crmFor: () => counted.crm });
    await advocateIndex(ctx, PORTAL);
    await db.transaction((tx) => applyDataset(tx, PORTAL, championsDataset([{ id: 'acc-2', account: { healthScore: 80 }, contact: { doNotContact: true } }])));
    const readsBefore = counted.reads.n;
    await storeChangeEvents(ctx, PORTAL, [{ eventId: 'e-1', accountId: 'acc-2' }], 'test');
    expect(await drainChangeEvents(ctx, PORTAL)).toMatchObject({ evaluated: 1, failed: 0 });
    expect(counted.reads.n - readsBefore).toBe(1); // the drain's batch read, nothing else
    const stored = (await db.query<{ advocates: Array<{ unavailable: { code: string } | null }> }>(`SELECT advocates FROM reference_index WHERE portal_id = $1 AND account_id = 'acc-2'`, [PORTAL])).rows[0];
    expect(stored.advocates[0].unavailable?.code).toBe('DO_NOT_CONTACT');
    expect((await advocateIndex(ctx, PORTAL)).advocates.find((a) => a.contactId === 'con-acc-2')?.unavailable?.code).toBe('DO_NOT_CONTACT');
  });

  it('when a person is erased, then the stored index keeps nothing of them and their account is read again without them, even from a process with no index in memory', async () => {
    await advocateIndex(await testContext(db, { crmFor: () => new LocalCrm(db, PORTAL) }), PORTAL);
    const cli = await testContext(db, { crmFor: () => new LocalCrm(db, PORTAL) });
    await eraseContact(cli, PORTAL, 'con-acc-1', 'cli:test');
    const rows = (await db.query<{ account_id: string; row: string }>(`SELECT account_id, (signals::text || advocates::text) AS row FROM reference_index WHERE portal_id = $1 ORDER BY account_id`, [PORTAL])).rows;
    expect(rows.map((r) => r.account_id)).toEqual(['acc-0', 'acc-1', 'acc-2', 'acc-3', 'acc-4']);
    expect(rows.filter((r) => r.row.includes('con-acc-1') || r.row.includes('"lastName":"acc-1"'))).toEqual([]);

    // The erasure's own transaction drops the rows (nothing waits on the re-read, which may fail or never come).
    await cli.store.transaction((tx) => tx.privacy.eraseContact(PORTAL, 'con-acc-2'));
    const left = (await db.query<{ account_id: string }>(`SELECT account_id FROM reference_index WHERE portal_id = $1 ORDER BY account_id`, [PORTAL])).rows.map((r) => r.account_id);
    expect(left).toEqual(['acc-0', 'acc-1', 'acc-3', 'acc-4']);
  });

  it('when one portal has a stored index, then another portal on the same store sees none of it', async () => {
    await db.transaction((tx) => applyDataset(tx, 'other', championsDataset([{ id: 'acc-x' }])));
    const ctx = await testContext(db, { crmFor: (portalId) => new LocalCrm(db, portalId) });
    await advocateIndex(ctx, PORTAL);
    const other = await advocateIndex(ctx, 'other');
    expect(other.advocates.map((a) => a.accountId)).toEqual(['acc-x']);
    const restarted = await testContext(db, { crmFor: (portalId) => new LocalCrm(db, portalId) });
    expect((await advocateIndex(restarted, PORTAL)).advocates.map((a) => a.accountId).sort()).toEqual(['acc-0', 'acc-1', 'acc-2', 'acc-3', 'acc-4']);
  });
});
