import request from 'supertest';
import { LocalCrm } from '../../../backend/src/crm/local/local-crm';
import { createApp } from '../../../backend/src/http/create-app';
import { applyDataset } from '../../../backend/src/import/dataset';
import { raiseServiceLevelReminders } from '../../../backend/src/jobs/service-level-reminders';
import type { Db } from '../../../backend/src/store/db';
import { championsDataset, OWNER } from '../../support/builders';
import { testContext } from '../../support/context';
import { openTestDb } from '../../support/store';

// A reference request past its service level raises one reminder task to its CSM, once per
// stage: the job running again (a retry, the next day, a second worker) adds nothing.

describe('reference service-level reminders', () => {
  let db: Db;
  beforeEach(async () => {
    db = await openTestDb('pglite');
    const ds = championsDataset([{ id: 'fin-na', account: { industry: 'FinTech', region: 'NA', sizeBand: 'smb' } }]);
    ds.deals.push({ dealId: 'deal-1', name: 'Prospect GmbH', accountId: null, ownerId: 'rep-1', amount: 120000, stage: 'open', closeDate: '2027-01-31', industry: 'FinTech', region: 'EMEA', sizeBand: 'mid-market', products: ['core'] });
    await db.transaction((tx) => applyDataset(tx, 'local', ds));
  });
  afterEach(async () => db.close());

  const remindersDeps = async (now: string) => {
    const ctx = await testContext(db, { now });
    return { store: ctx.store, crm: new LocalCrm(db, 'local'), criteria: ctx.criteria, portalId: 'local', now: ctx.now };
  };
  const reminderTasks = async () => (await db.query<{ subject: string; owner_id: string }>(`SELECT subject, owner_id FROM crm_tasks WHERE subject LIKE 'Overdue:%' ORDER BY subject`)).rows;
  const reminderAudit = async () => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'reference.reminder_raised'`)).rows[0].n;

  it('when the CSM has not decided within 2 business days, then one reminder task goes to that CSM, and running again raises no second', async () => {
    const app = createApp({ ctx: await testContext(db, { now: '2026-11-20T15:00:00.000Z' }) }); // a Friday
    const { body } = await request(app).post('/api/v1/deals/deal-1/reference-requests').send({ need: { industry: 'FinTech' }, contactId: 'con-fin-na' }).expect(201);

    // Tuesday: still within the 2 business days.
    expect(await raiseServiceLevelReminders(await remindersDeps('2026-11-24T09:00:00.000Z'), '2026-11-24')).toEqual({ raised: 0, open: 1 });
    // Wednesday: overdue.
    expect(await raiseServiceLevelReminders(await remindersDeps('2026-11-25T09:00:00.000Z'), '2026-11-25')).toEqual({ raised: 1, open: 1 });
    expect(await raiseServiceLevelReminders(await remindersDeps('2026-11-26T09:00:00.000Z'), '2026-11-26')).toEqual({ raised: 0, open: 1 });
    expect(await reminderTasks()).toEqual([{ subject: expect.stringMatching(/^Overdue: Reference request: Champion fin-na/), owner_id: OWNER.ownerId }]);
    expect(await reminderAudit()).toBe(1);

    // Approved, then the reference itself runs late (5 business days from the request): one more, once.
    await request(app).post(`/api/v1/asks/${body.request.askId}/outcome`).send({ status: 'sent' }).expect(200);
    expect(await raiseServiceLevelReminders(await remindersDeps('2026-11-30T09:00:00.000Z'), '2026-11-30')).toEqual({ raised: 1, open: 1 });
    expect(await raiseServiceLevelReminders(await remindersDeps('2026-12-01T09:00:00.000Z'), '2026-12-01')).toEqual({ raised: 0, open: 1 });
    expect(await reminderTasks()).toHaveLength(2);
    expect(await reminderAudit()).toBe(2);
  });

  it('when the request was decided or closed, then no reminder is raised', async () => {
    const app = createApp({ ctx: await testContext(db, { now: '2026-11-20T15:00:00.000Z' }) });
    const { body } = await request(app).post('/api/v1/deals/deal-1/reference-requests').send({ need: { industry: 'FinTech' }, contactId: 'con-fin-na' }).expect(201);
    await request(app).post(`/api/v1/asks/${body.request.askId}/outcome`).send({ status: 'cancelled' }).expect(200);
    expect(await raiseServiceLevelReminders(await remindersDeps('2026-12-10T09:00:00.000Z'), '2026-12-10')).toEqual({ raised: 0, open: 0 });
    expect(await reminderTasks()).toEqual([]);
  });
});
