import type { Db } from '../../../backend/src/store/db';
import { createStore } from '../../../backend/src/store/pg-store';
import type { StoredAsk } from '../../../backend/src/store/store-port';
import { buildAsk, buildConsent } from '../../support/builders';
import { openTestDb } from '../../support/store';

// The store says which accounts' asks or consents changed, once the change committed: the
// reference index listens, so no use case has to remember to refresh it.

const stored = (over: Partial<StoredAsk>): StoredAsk => ({ ...buildAsk(over), source: 'card', runKey: null, taskId: null, crmAskId: null, outcomeNote: null, criteriaVersion: null, readinessScore: null, details: {}, ...over });

describe('account changes announced by the store', () => {
  let db: Db;
  beforeEach(async () => {
    db = await openTestDb('pglite');
  });
  afterEach(async () => db.close());

  it('when asks and a consent are written in one transaction, then their accounts are announced once, after the commit', async () => {
    const store = createStore(db);
    const heard: Array<{ portalId: string; accountIds: string[]; committed: number }> = [];
    store.changes.listen(async (portalId, accountIds) => {
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM asks`);
      heard.push({ portalId, accountIds, committed: rows[0].n });
    });
    await store.transaction(async (tx) => {
      await tx.asks.insert('p1', [stored({ askId: 'a1', accountId: 'acc-1' }), stored({ askId: 'a2', accountId: 'acc-2' })]);
      await tx.consents.upsert('p1', [buildConsent({ consentId: 'c1', accountId: 'acc-1' })]);
      expect(heard).toEqual([]);
    });
    expect(heard).toEqual([{ portalId: 'p1', accountIds: ['acc-1', 'acc-2'], committed: 2 }]);
  });

  it('when a transaction rolls back, or an ask was already stored, then nothing is announced', async () => {
    const store = createStore(db);
    await store.asks.insert('p1', [stored({ askId: 'a1', accountId: 'acc-1' })]);
    const heard: string[][] = [];
    store.changes.listen(async (_portalId, accountIds) => void heard.push(accountIds));
    await expect(
      store.transaction(async (tx) => {
        await tx.asks.insert('p1', [stored({ askId: 'a2', accountId: 'acc-2' })]);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    await store.asks.insert('p1', [stored({ askId: 'a1', accountId: 'acc-1' })]);
    expect(heard).toEqual([]);
  });
});
