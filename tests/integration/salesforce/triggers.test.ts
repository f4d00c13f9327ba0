import request from 'supertest';
import type { AppContext } from '../../../backend/src/app-context';
import { LocalCrm } from '../../../backend/src/crm/local/local-crm';
import { changesToEvaluate, lastReplayId, subscribeToAccountChanges, type AccountChangeEvent, type Subscribe } from '../../../backend/src/crm/salesforce/change-events';
import { defaultFieldMap } from '../../../backend/src/crm/salesforce/field-map';
import { createApp } from '../../../backend/src/http/create-app';
import { salesforceRoutes } from '../../../backend/src/http/routes/salesforce-routes';
import { applyDataset, emptyDataset } from '../../../backend/src/import/dataset';
import type { Db } from '../../../backend/src/store/db';
import type { ChangeEvent } from '../../../backend/src/use-cases/reevaluate-accounts';
import { buildAccount, buildContact, buildNps, OWNER } from '../../support/builders';
import { testContext } from '../../support/context';
import { openTestDb } from '../../support/store';

const ORG = '00D000000000001';
const ACCOUNT = '001000000000001';
const PORTAL = `salesforce:${ORG}`;

const change = (replayId: number, changedFields: string[], changeType = 'UPDATE'): AccountChangeEvent => ({
  event: { replayId },
  payload: { ChangeEventHeader: { entityName: 'Account', changeType, recordIds: [ACCOUNT], changedFields } },
});

describe('Salesforce triggers', () => {
  let db: Db;
  let ctx: AppContext;
  beforeEach(async () => {
    db = await openTestDb('pglite');
    const ds = emptyDataset();
    ds.owners.push(OWNER);
    const { healthHistory: _h, ...account } = buildAccount({ accountId: ACCOUNT });
    ds.accounts.push(account);
    ds.contacts.push(buildContact({ contactId: 'c1', accountId: ACCOUNT }));
    ds.nps.push({ ...buildNps({ contactId: 'c1' }), accountId: ACCOUNT });
    await db.transaction((tx) => applyDataset(tx, PORTAL, ds));
    ctx = await testContext(db, { crmFor: (p) => new LocalCrm(db, p) });
  });
  afterEach(async () => db.close());

  it('when a change event touches only unwatched fields, then nothing is re-evaluated', () => {
    const map = defaultFieldMap();
    expect(changesToEvaluate(change(1, ['Phone', 'Website']), map)).toEqual([]);
    expect(changesToEvaluate(change(2, ['Health_Score__c']), map)).toEqual([{ eventId: `cdc:2:${ACCOUNT}`, accountId: ACCOUNT }]);
    expect(changesToEvaluate(change(3, [], 'DELETE'), map)).toEqual([]);
  });

  it('when events stream in and the process restarts, then it resumes after the last processed replay id and a failed event comes again', async () => {
    const seen: ChangeEvent[][] = [];
    let deliver: ((m: AccountChangeEvent) => Promise<void>) | null = null;
    const froms: number[] = [];
    const subscribe: Subscribe = (_channel, from, onMessage) => {
      froms.push(from);
      deliver = onMessage;
      return { cancel: () => undefined };
    };
    let failNext = false;
    const reevaluate = async (events: ChangeEvent[]) => {
      if (failNext) {
        failNext = false;
        throw new Error('CRM unavailable');
      }
      seen.push(events);
    };
    await subscribeToAccountChanges({ positions: ctx.store.replayPositions, portalId: PORTAL, map: defaultFieldMap(), subscribe, reevaluate });
    await deliver!(change(101, ['Health_Score__c']));
    await deliver!(change(102, ['Phone']));
    failNext = true;
    await expect(deliver!(change(103, ['Health_Score__c']))).rejects.toThrow('CRM unavailable');
    expect(await lastReplayId(ctx.store.replayPositions, PORTAL)).toBe(102);

    await subscribeToAccountChanges({ positions: ctx.store.replayPositions, portalId: PORTAL, map: defaultFieldMap(), subscribe, reevaluate });
    expect(froms).toEqual([-1, 102]);
    await deliver!(change(103, ['Health_Score__c']));
    expect(seen.map((e) => e[0].eventId)).toEqual([`cdc:101:${ACCOUNT}`, `cdc:103:${ACCOUNT}`]);
    expect(await lastReplayId(ctx.store.replayPositions, PORTAL)).toBe(103);
  });

  it('when the Flow calls with the secret, then the account is re-evaluated once per event id; without it, nothing runs', async () => {
    const app = createApp({ ctx, extraRouters: [{ path: '/salesforce/v1', router: salesforceRoutes({ ctx, flowSecret: 'flow-secret', orgId: ORG }) }] });
    const body = { orgId: ORG, eventId: 'flow-1', accountIds: [ACCOUNT] };
    await request(app).post('/salesforce/v1/flow/account-changed').send(body).expect(401);
    const first = await request(app).post('/salesforce/v1/flow/account-changed').set('authorization', 'Bearer flow-secret').send(body).expect(200);
    const again = await request(app).post('/salesforce/v1/flow/account-changed').set('authorization', 'Bearer flow-secret').send(body).expect(200);
    expect(first.body).toEqual({ received: 1, duplicates: 0, evaluated: 1, failed: [] });
    expect(again.body).toEqual({ received: 1, duplicates: 1, evaluated: 0, failed: [] });
    expect((await db.query(`SELECT count(*)::int AS n FROM crm_tasks WHERE portal_id = $1`, [PORTAL])).rows[0]).toEqual({ n: 1 });
    await request(app).post('/salesforce/v1/flow/account-changed').set('authorization', 'Bearer flow-secret').send({ ...body, orgId: '00D000000000002' }).expect(403);
  });
});
