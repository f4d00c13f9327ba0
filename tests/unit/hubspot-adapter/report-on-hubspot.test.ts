import nock from 'nock';
import { applyDataset, emptyDataset } from '../../../backend/src/import/dataset';
import type { StoredAsk } from '../../../backend/src/store/store-port';
import type { Db } from '../../../backend/src/store/db';
import { buildReport } from '../../../backend/src/use-cases/build-report';
import { buildAsk, TODAY } from '../../support/builders';
import { testContext } from '../../support/context';
import { API, associationsAnswer, buildCrm, company, ownersAnswer, useNockedStore } from './hubspot-fixtures';

// The KPI report on a HubSpot portal: the companies live in HubSpot, not in the embedded CRM's
// tables, so when each customer started has to come from HubSpot through the CRM port.

describe('KPI report on a HubSpot portal', () => {
  let db: Db;
  useNockedStore((opened) => (db = opened));

  it('when a HubSpot company completed a reference, then the time to first reference counts it from the customer-since date HubSpot holds', async () => {
    const ask: StoredAsk = {
      ...buildAsk({ askId: 'ask-ref-1', accountId: '1', contactId: '5000', askType: 'reference_call', status: 'completed', proposedAt: '2026-11-02T12:00:00.000Z', sentAt: '2026-11-03T12:00:00.000Z', acceptedAt: '2026-11-04T12:00:00.000Z', completedAt: '2026-11-10T12:00:00.000Z' }),
      source: 'import', runKey: null, taskId: null, crmAskId: null, outcomeNote: null, criteriaVersion: null, readinessScore: null, details: {},
    };
    const ds = emptyDataset();
    ds.asks.push(ask);
    await db.transaction((tx) => applyDataset(tx, 'portal-1', ds));
    const crm = buildCrm(db);
    const ctx = await testContext(db, { crmFor: () => crm });
    // The company as HubSpot has it: a customer since 2024-05-01 (closedate, the default field).
    const read = nock(API).get('/crm/v3/objects/companies/1').query(true).reply(200, company('1', { closedate: '2024-05-01T00:00:00.000Z' }));
    // The month has no logged scan, so the report evaluates the portfolio as of today.
    nock(API).get('/crm/v3/objects/companies').query(true).reply(200, { results: [company('1', { health_score: '30' })] });
    nock(API).post('/crm/v4/associations/companies/contacts/batch/read').times(2).reply(200, associationsAnswer({}));
    nock(API).get('/crm/v3/owners/').query(true).reply(200, ownersAnswer);
    nock(API).post('/crm/v3/objects/deals/search').reply(200, { total: 0, results: [] });

    const report = await buildReport(ctx, 'portal-1', { months: 1, asOf: TODAY });

    expect(read.isDone()).toBe(true);
    // 2024-05-01 to 2026-11-10: 923 days.
    expect(report.timeToReference).toEqual({ accounts: 1, medianDays: 923, meanDays: 923 });
  });
});
