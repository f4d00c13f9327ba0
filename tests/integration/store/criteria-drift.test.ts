import { ConfigError } from '../../../backend/src/config/env';
import { criteriaContentHash } from '../../../backend/src/config/criteria-hash';
import { LocalCrm } from '../../../backend/src/crm/local/local-crm';
import { generatePortfolio } from '../../../backend/src/demo/generate-portfolio';
import { applyDataset } from '../../../backend/src/import/dataset';
import { runScan } from '../../../backend/src/jobs/scan-portfolio';
import { createStore } from '../../../backend/src/store/pg-store';
import type { Db } from '../../../backend/src/store/db';
import { defaultCriteria, TODAY } from '../../support/builders';
import { openTestDb, storeKinds } from '../../support/store';

const now = () => new Date(`${TODAY}T09:00:00.000Z`);

describe.each(storeKinds())('criteria drift on %s', (kind) => {
  let db: Db;
  beforeEach(async () => {
    db = await openTestDb(kind);
    await db.transaction((tx) => applyDataset(tx, 'local', generatePortfolio({ seed: 3, accounts: 30, asOf: TODAY })));
  });
  afterEach(async () => db.close());

  it('when a scan runs, then each evaluation records the criteria content hash beside the version', async () => {
    const criteria = defaultCriteria();
    await runScan({ store: createStore(db), crm: new LocalCrm(db, 'local'), criteria, portalId: 'local', now }, { asOf: TODAY });
    const { rows } = await db.query<{ criteria_version: string; criteria_hash: string; n: number }>(`SELECT criteria_version, criteria_hash, count(*)::int AS n FROM evaluations GROUP BY 1, 2`);
    expect(rows).toEqual([{ criteria_version: '2026-11-01.1', criteria_hash: criteriaContentHash(criteria), n: 30 }]);
    expect(criteriaContentHash(criteria)).toMatch(/^sha256:[0-9a-f]{16}$/);
  });

  it('when the criteria content changed while the version did not, then the next scan (same date or another) is refused naming both hashes, and nothing is evaluated', async () => {
    const before = defaultCriteria();
    await runScan({ store: createStore(db), crm: new LocalCrm(db, 'local'), criteria: before, portalId: 'local', now }, { asOf: TODAY });
    const edited = defaultCriteria((c) => void (c.eligibility.minHealth = 70));
    for (const asOf of [TODAY, '2026-11-25']) {
      const error = await runScan({ store: createStore(db), crm: new LocalCrm(db, 'local'), criteria: edited, portalId: 'local', now }, { asOf }).catch((e) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toContain(`content ${criteriaContentHash(before)}; the file now has ${criteriaContentHash(edited)}`);
      expect((error as ConfigError).message).toContain('version "2026-11-01.1"');
    }
    expect((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM evaluations`)).rows[0].n).toBe(30);
    // With a new version the edited rules run.
    const bumped = defaultCriteria((c) => {
      c.eligibility.minHealth = 70;
      c.version = '2026-11-01.2';
    });
    await expect(runScan({ store: createStore(db), crm: new LocalCrm(db, 'local'), criteria: bumped, portalId: 'local', now }, { asOf: TODAY })).resolves.toMatchObject({ status: 'done', criteriaVersion: '2026-11-01.2' });
  });
});
