import { LocalCrm } from '../../../backend/src/crm/local/local-crm';
import type { CrmPort } from '../../../backend/src/crm/port';
import type { Contact } from '../../../backend/src/domain/types';
import { applyDataset } from '../../../backend/src/import/dataset';
import type { Db } from '../../../backend/src/store/db';
import { advocateIndex, advocatesSettled, refreshAdvocates } from '../../../backend/src/use-cases/advocate-cache';
import { championsDataset } from '../../support/builders';
import { testContext } from '../../support/context';
import { openTestDb } from '../../support/store';

const PORTAL = 'local';

async function addAccount(db: Db, id: string, contact: Partial<Contact> = {}) {
  await db.transaction((tx) => applyDataset(tx, PORTAL, championsDataset([{ id, contact }])));
}

/** The local CRM, counting full reads, whose answers can be held (already read) until released. */
function gated(db: Db) {
  const local = new LocalCrm(db, PORTAL);
  const state = { reads: 0, gate: Promise.resolve() as Promise<void>, release: () => {}, answered: Promise.resolve() as Promise<void>, markAnswered: () => {} };
  const hold = () => {
    state.gate = new Promise<void>((r) => (state.release = r));
    state.answered = new Promise<void>((r) => (state.markAnswered = r));
  };
  const crm = new Proxy(local, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop !== 'listAccounts') return typeof value === 'function' ? value.bind(target) : value;
      return async (page: Parameters<CrmPort['listAccounts']>[0]) => {
        if (page.cursor === null) state.reads++;
        const answer = await local.listAccounts(page); // read now, handed over when released
        state.markAnswered();
        await state.gate;
        return answer;
      };
    },
  });
  return { crm, state, hold };
}

const ids = (index: Awaited<ReturnType<typeof advocateIndex>>) => index.advocates.filter((a) => !a.unavailable).map((a) => a.contactId).sort();

describe('the advocate cache behind reference matching', () => {
  let db: Db;
  beforeEach(async () => {
    db = await openTestDb('pglite');
    await addAccount(db, 'acc-1');
  });
  afterEach(async () => db.close());

  it('when matches repeat the same day, then the portfolio is read once', async () => {
    const { crm, state } = gated(db);
    const ctx = await testContext(db, { crmFor: () => crm });
    await Promise.all([advocateIndex(ctx, PORTAL), advocateIndex(ctx, PORTAL)]);
    await advocateIndex(ctx, PORTAL);
    expect(state.reads).toBe(1);
  });

  it("when a new day starts, then yesterday's index answers at once while today's is read behind it", async () => {
    const { crm, state, hold } = gated(db);
    const monday = await testContext(db, { crmFor: () => crm, now: '2026-11-23T09:00:00.000Z' });
    const first = await advocateIndex(monday, PORTAL);
    await addAccount(db, 'acc-2');
    hold(); // today's read will not finish until released
    // The same process the next day: its index, a later clock.
    const tuesday = { ...monday, now: () => new Date('2026-11-24T09:00:00.000Z') };
    expect(await advocateIndex(tuesday, PORTAL)).toBe(first);
    expect(state.reads).toBe(2);
    state.release();
    await advocatesSettled(tuesday, PORTAL);
    expect(ids(await advocateIndex(tuesday, PORTAL))).toEqual(['con-acc-1', 'con-acc-2']);
    expect(state.reads).toBe(2);
  });

  it('when an account changes while a full read runs, then it is read again once the full read lands', async () => {
    const { crm, state, hold } = gated(db);
    const monday = await testContext(db, { crmFor: () => crm, now: '2026-11-23T09:00:00.000Z' });
    await advocateIndex(monday, PORTAL);
    hold();
    const tuesday = { ...monday, now: () => new Date('2026-11-24T09:00:00.000Z') };
    await advocateIndex(tuesday, PORTAL); // starts today's read: acc-1 read as it is, answer held
    await state.answered;
    await addAccount(db, 'acc-1', { doNotContact: true });
    await refreshAdvocates(tuesday, PORTAL, 'acc-1');
    state.release();
    await advocatesSettled(tuesday, PORTAL);
    const index = await advocateIndex(tuesday, PORTAL);
    expect(index.advocates.find((a) => a.contactId === 'con-acc-1')?.unavailable?.code).toBe('DO_NOT_CONTACT');
  });

  it('when one account changes, then only it is read again, and the others stay as they were', async () => {
    await addAccount(db, 'acc-2');
    const { crm, state } = gated(db);
    const ctx = await testContext(db, { crmFor: () => crm });
    expect(ids(await advocateIndex(ctx, PORTAL))).toEqual(['con-acc-1', 'con-acc-2']);
    await addAccount(db, 'acc-2', { doNotContact: true });
    await refreshAdvocates(ctx, PORTAL, 'acc-2');
    expect(ids(await advocateIndex(ctx, PORTAL))).toEqual(['con-acc-1']);
    expect(state.reads).toBe(1);
  });
});
