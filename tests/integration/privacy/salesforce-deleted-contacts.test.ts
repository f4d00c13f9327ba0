import { Connection } from 'jsforce';
import nock from 'nock';
import type { AppContext } from '../../../backend/src/app-context';
import { SalesforceCrm } from '../../../backend/src/crm/salesforce/salesforce-crm';
import { applyDataset } from '../../../backend/src/import/dataset';
import { listAudit, verifyAudit } from '../../../backend/src/store/audit-log';
import type { Db } from '../../../backend/src/store/db';
import { syncDeletedContacts } from '../../../backend/src/use-cases/sync-deleted-contacts';
import { championsDataset } from '../../support/builders';
import { testContext } from '../../support/context';
import { openTestDb } from '../../support/store';

// Contacts deleted in Salesforce are erased here too: the daily path reads Salesforce's
// deleted-records list for Contact (getDeleted, 30 days back at most) from where it last got to.

const INSTANCE = 'https://acme.my.salesforce.com';
const API = '/services/data/v62.0';
const PORTAL = 'salesforce:00D000000000001';
const GONE = '003000000000001AAA';
const noSleep = { timeoutMs: 2000, attempts: 3, baseDelayMs: 1, sleep: async () => {} };

describe('Salesforce contact deletions', () => {
  let db: Db;
  let ctx: AppContext;
  let nextDay: AppContext;
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());
  beforeEach(async () => {
    db = await openTestDb('pglite');
    await db.transaction((tx) => applyDataset(tx, PORTAL, championsDataset([{ id: '001000000000001AAA', contact: { contactId: GONE } }, { id: '001000000000002AAA' }])));
    const crm = new SalesforceCrm(new Connection({ instanceUrl: INSTANCE, accessToken: 'token-1', version: '62.0' }), { policy: noSleep });
    ctx = await testContext(db, { crmFor: () => crm });
    nextDay = await testContext(db, { crmFor: () => crm, now: '2026-11-25T09:00:00.000Z' });
  });
  afterEach(async () => {
    nock.cleanAll();
    await db.close();
  });

  it('when Salesforce lists a deleted contact, then it is erased here, audited, and the next read starts where this one ended', async () => {
    const first = nock(INSTANCE)
      .get(`${API}/sobjects/Contact/deleted/`)
      .query({ start: '2026-10-26T09:00:00+00:00', end: '2026-11-24T09:00:00+00:00' })
      .reply(200, { deletedRecords: [{ id: GONE, deletedDate: '2026-11-20T10:00:00.000+0000' }, { id: '003000000000999AAA', deletedDate: '2026-11-21T10:00:00.000+0000' }], earliestDateAvailable: '2026-10-01T00:00:00.000+0000', latestDateCovered: '2026-11-24T09:00:00.000+0000' });
    expect(await syncDeletedContacts(ctx, PORTAL)).toEqual({ checked: true, erased: [GONE] });
    expect(first.isDone()).toBe(true);
    expect((await db.query(`SELECT contact_id FROM crm_contacts WHERE portal_id = $1`, [PORTAL])).rows).toEqual([{ contact_id: 'con-001000000000002AAA' }]);
    const erasures = (await listAudit(db, PORTAL)).filter((e) => e.action === 'contact.erased');
    expect(erasures).toEqual([expect.objectContaining({ entityId: GONE, actor: 'salesforce:contact-deleted' })]); // the unknown contact leaves no entry
    expect((await verifyAudit(db, PORTAL)).ok).toBe(true);

    expect(await syncDeletedContacts(ctx, PORTAL)).toEqual({ checked: true, erased: [] }); // nothing to ask for an empty window
    const second = nock(INSTANCE).get(`${API}/sobjects/Contact/deleted/`).query({ start: '2026-11-24T09:00:00+00:00', end: '2026-11-25T09:00:00+00:00' }).reply(200, { deletedRecords: [], latestDateCovered: '2026-11-25T09:00:00.000+0000' });
    expect(await syncDeletedContacts(nextDay, PORTAL)).toEqual({ checked: true, erased: [] });
    expect(second.isDone()).toBe(true);
  });

  it('when Salesforce refuses the read, then nothing is erased, the position stays, and the error names the failure', async () => {
    nock(INSTANCE).get(`${API}/sobjects/Contact/deleted/`).query(true).reply(403, [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }]);
    await expect(syncDeletedContacts(ctx, PORTAL)).rejects.toMatchObject({ code: 'CRM_DAILY_LIMIT' });
    expect((await db.query(`SELECT * FROM crm_deletion_sync`)).rows).toEqual([]);
    expect((await db.query(`SELECT count(*)::int AS n FROM crm_contacts WHERE portal_id = $1`, [PORTAL])).rows[0].n).toBe(2);
  });
});
