import type { AppContext } from '../../../backend/src/app-context';
import { CrmError } from '../../../backend/src/crm/errors';
import { LocalCrm } from '../../../backend/src/crm/local/local-crm';
import { applyDataset } from '../../../backend/src/import/dataset';
import type { Db } from '../../../backend/src/store/db';
import { reevaluateAccounts } from '../../../backend/src/use-cases/reevaluate-accounts';
import { workflowEvaluate } from '../../../backend/src/use-cases/workflow-evaluate';
import { championsDataset } from '../../support/builders';
import { testContext } from '../../support/context';
import { openTestDb } from '../../support/store';

async function seed(db: Db) {
  const ds = championsDataset([{ id: 'acc-ready' }, { id: 'acc-strategic', account: { strategic: true } }, { id: 'acc-low', account: { healthScore: 60 } }]);
  await db.transaction((tx) => applyDataset(tx, 'local', ds));
}

const tasks = async (db: Db) => (await db.query<{ kind: string; account_id: string }>(`SELECT kind, account_id FROM crm_tasks ORDER BY account_id`)).rows;

describe('workflow action and change events', () => {
  let db: Db;
  let ctx: AppContext;
  beforeEach(async () => {
    db = await openTestDb('pglite');
    await seed(db);
    ctx = await testContext(db);
  });
  afterEach(async () => db.close());

  it('when the workflow action runs for a ready company, then it creates the ask task and returns fields to branch on', async () => {
    const out = await workflowEvaluate(ctx, 'local', 'cb-1', 'acc-ready');
    expect(out.outputFields).toEqual({
      hs_execution_state: 'SUCCESS',
      readiness_score: expect.any(Number),
      readiness_band: 'green',
      decision: 'propose',
      ask_type: 'quote',
      reason_codes: 'LADDER',
    });
    expect(await tasks(db)).toEqual([{ kind: 'ask', account_id: 'acc-ready' }]);
    const written = (await db.query(`SELECT advocacy_status, readiness_band FROM crm_accounts WHERE account_id = 'acc-ready'`)).rows[0];
    expect(written).toEqual({ advocacy_status: 'candidate', readiness_band: 'green' });
  });

  it('when the CRM refuses the readiness write-back, then the decision and its task still stand', async () => {
    const local = new LocalCrm(db, 'local');
    const refusing = new Proxy(local, {
      get(target, prop, receiver) {
        if (prop === 'writeBack') return async () => Promise.reject(new CrmError('CRM_REJECTED', 'Property advocacy_status does not exist'));
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const withRefusal = await testContext(db, { crmFor: () => refusing });
    const out = await workflowEvaluate(withRefusal, 'local', 'cb-wb', 'acc-ready');
    expect(out.outputFields).toMatchObject({ hs_execution_state: 'SUCCESS', decision: 'propose' });
    expect(await tasks(db)).toEqual([{ kind: 'ask', account_id: 'acc-ready' }]);
  });

  it('when HubSpot retries the same callbackId, then the same answer comes back and nothing new is created', async () => {
    const first = await workflowEvaluate(ctx, 'local', 'cb-2', 'acc-strategic');
    const again = await workflowEvaluate(ctx, 'local', 'cb-2', 'acc-strategic');
    expect(again).toEqual(first);
    expect(first.outputFields).toMatchObject({ decision: 'handoff', reason_codes: 'STRATEGIC_ACCOUNT' });
    expect(await tasks(db)).toEqual([{ kind: 'handoff', account_id: 'acc-strategic' }]);
  });

  it('when a second workflow run on the same day asks again, then the hand-off task is not raised twice', async () => {
    await workflowEvaluate(ctx, 'local', 'cb-3', 'acc-strategic');
    await workflowEvaluate(ctx, 'local', 'cb-4', 'acc-strategic');
    expect(await tasks(db)).toHaveLength(1);
  });

  it('when the company is unknown, then the action continues the workflow with a failure code instead of retrying forever', async () => {
    const out = await workflowEvaluate(ctx, 'local', 'cb-5', 'acc-missing');
    expect(out.outputFields).toMatchObject({ hs_execution_state: 'FAIL_CONTINUE', reason_codes: 'ACCOUNT_NOT_FOUND' });
  });

  it('when change events repeat and name the same company, then each event counts once and the company is judged once', async () => {
    const events = [
      { eventId: 'e1', accountId: 'acc-ready' },
      { eventId: 'e2', accountId: 'acc-ready' },
      { eventId: 'e3', accountId: 'acc-low' },
    ];
    const first = await reevaluateAccounts(ctx, 'local', events, 'webhook');
    const replay = await reevaluateAccounts(ctx, 'local', events, 'webhook');
    expect(first).toEqual({ received: 3, duplicates: 0, evaluated: 2, failed: [] });
    expect(replay).toEqual({ received: 3, duplicates: 3, evaluated: 0, failed: [] });
    expect(await tasks(db)).toEqual([{ kind: 'ask', account_id: 'acc-ready' }]);
  });
});
