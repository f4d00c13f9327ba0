import type { Express } from 'express';
import request from 'supertest';
import type { AppContext } from '../../../backend/src/app-context';
import { LocalCrm } from '../../../backend/src/crm/local/local-crm';
import { createApp } from '../../../backend/src/http/create-app';
import { applyDataset } from '../../../backend/src/import/dataset';
import { runScan } from '../../../backend/src/jobs/scan-portfolio';
import type { Db } from '../../../backend/src/store/db';
import { championsDataset, defaultCriteria, OWNER, TODAY } from '../../support/builders';
import { testContext } from '../../support/context';
import { openTestDb } from '../../support/store';

// The program dashboard's data through the real app after a scan: the report, and the
// candidates (proposed, handed off, waiting for an answer) with names, filterable by CSM.

const PORTAL = 'local';
const OTHER = { ownerId: 'owner-2', name: 'Jack O\'Neill', email: 'jack@example.test' };

describe('program dashboard route', () => {
  let db: Db;
  let ctx: AppContext;
  let app: Express;
  beforeEach(async () => {
    db = await openTestDb('pglite');
    const ds = championsDataset([{ id: 'acc-1' }, { id: 'acc-2', account: { ownerId: OTHER.ownerId } }, { id: 'acc-strategic', account: { strategic: true } }]);
    ds.owners.push(OTHER);
    await db.transaction((tx) => applyDataset(tx, PORTAL, ds));
    ctx = await testContext(db);
    app = createApp({ ctx });
  });
  afterEach(async () => db.close());

  const scan = () => runScan({ store: ctx.store, crm: new LocalCrm(db, PORTAL), criteria: defaultCriteria(), portalId: PORTAL, now: ctx.now }, { asOf: TODAY });

  it('when nothing was scanned yet, then the dashboard has no candidates and an empty pipeline', async () => {
    const body = (await request(app).get('/api/v1/dashboard').expect(200)).body;
    expect(body).toMatchObject({ candidates: [], candidateTotal: 0, owners: [] });
    expect(body.report.months).toHaveLength(6);
  });

  it('when the scan proposed and handed off, then the candidates list each with its names, stage and reasons, and a sent ask reads waiting', async () => {
    await scan();
    const body = (await request(app).get('/api/v1/dashboard').expect(200)).body;
    const byAccount = Object.fromEntries(body.candidates.map((c: { accountId: string }) => [c.accountId, c]));
    expect(byAccount['acc-1']).toMatchObject({ stage: 'proposed', accountName: 'Account acc-1', ownerId: OWNER.ownerId, ownerName: OWNER.name, contactName: 'Champion acc-1', askType: 'quote', askId: expect.stringMatching(/^ask-/) });
    expect(byAccount['acc-strategic']).toMatchObject({ stage: 'handed_off', accountName: 'Account acc-strategic', askId: null, reasons: [{ code: 'STRATEGIC_ACCOUNT', detail: expect.any(String) }] });
    expect(body.candidateTotal).toBe(3);
    expect(body.owners).toEqual([{ ownerId: OTHER.ownerId, name: OTHER.name }, { ownerId: OWNER.ownerId, name: OWNER.name }]);
    expect(body.report.months.at(-1).month).toBe('2026-11');

    await request(app).post(`/api/v1/asks/${byAccount['acc-1'].askId}/outcome`).send({ status: 'sent' }).expect(200);
    const after = (await request(app).get('/api/v1/dashboard').expect(200)).body;
    expect(after.candidates.find((c: { accountId: string }) => c.accountId === 'acc-1')).toMatchObject({ stage: 'waiting', since: expect.stringMatching(/^2026-11-24/) });
  });

  it('when the list is filtered by a CSM, then only that CSM\'s candidates come back, and a bad filter is refused', async () => {
    await scan();
    const mine = (await request(app).get(`/api/v1/dashboard?ownerId=${OTHER.ownerId}`).expect(200)).body;
    expect(mine.candidates.map((c: { accountId: string }) => c.accountId)).toEqual(['acc-2']);
    expect(mine.candidateTotal).toBe(1);
    expect(mine.owners).toHaveLength(2);
    const nobody = (await request(app).get('/api/v1/dashboard?ownerId=owner-without-candidates').expect(200)).body;
    expect(nobody).toMatchObject({ candidates: [], candidateTotal: 0 });
    expect(nobody.owners).toEqual([{ ownerId: OTHER.ownerId, name: OTHER.name }, { ownerId: OWNER.ownerId, name: OWNER.name }]);
    const bad = await request(app).get('/api/v1/dashboard?ownerId=no%20spaces').expect(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('when a CSM records their own ask on a hand-off account, then it leaves the hand-offs and waits as CSM-owned', async () => {
    await scan();
    await request(app).post('/api/v1/accounts/acc-strategic/csm-asks').send({ askType: 'review', contactId: 'con-acc-strategic', askedOn: TODAY }).expect(201);
    const body = (await request(app).get('/api/v1/dashboard').expect(200)).body;
    expect(body.candidates.filter((c: { accountId: string }) => c.accountId === 'acc-strategic')).toEqual([expect.objectContaining({ stage: 'waiting', csmOwned: true, askType: 'review' })]);
  });
});
