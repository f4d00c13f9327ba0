import nock from 'nock';
import { CrmError } from '../../../backend/src/crm/errors';
import type { Db } from '../../../backend/src/store/db';
import { API, AT, buildCrm, company, errorBody, rateLimitBody, useNockedStore } from './hubspot-fixtures';

const getCompany = (id = '1000') => nock(API).get(`/crm/v3/objects/companies/${id}`).query(true);
const assocEmpty = () => nock(API).post('/crm/v4/associations/companies/contacts/batch/read').reply(200, { status: 'COMPLETE', results: [], startedAt: AT, completedAt: AT });
const owners = () => nock(API).get('/crm/v3/owners/').query(true).reply(200, { results: [] });

describe('HubSpot adapter call policy: auth, rate limits, retries, timeouts', () => {
  let db: Db;
  useNockedStore((opened) => (db = opened));

  it('when a 429 TEN_SECONDLY_ROLLING comes with Retry-After, then the call waits that long and goes again', async () => {
    const limited = getCompany().reply(429, rateLimitBody('TEN_SECONDLY_ROLLING'), { 'Retry-After': '2' });
    const ok = getCompany().reply(200, company('1000'));
    assocEmpty();
    owners();
    const waits: number[] = [];
    const crm = buildCrm(db, {}, waits);

    const signals = await crm.getAccount('1000');

    expect(signals?.account.accountId).toBe('1000');
    expect(waits).toEqual([2000]);
    expect(crm.stats.rateLimited).toBe(1);
    expect(limited.isDone() && ok.isDone()).toBe(true);
  });

  it('when a 429 TEN_SECONDLY_ROLLING comes without Retry-After, then the call waits the configured slide and goes again', async () => {
    getCompany().reply(429, rateLimitBody('TEN_SECONDLY_ROLLING'));
    getCompany().reply(429, rateLimitBody('TEN_SECONDLY_ROLLING'));
    getCompany().reply(200, company('1000'));
    assocEmpty();
    owners();
    const waits: number[] = [];
    await expect(buildCrm(db, {}, waits).getAccount('1000')).resolves.not.toBeNull();
    expect(waits).toEqual([1000, 1000]);
    expect(nock.isDone()).toBe(true);
  });

  it('when 429s keep coming, then the call gives up with CRM_RATE_LIMITED instead of spinning', async () => {
    getCompany().times(4).reply(429, rateLimitBody('TEN_SECONDLY_ROLLING'), { 'Retry-After': '1' });
    const error = await buildCrm(db).getAccount('1000').catch((e) => e);
    expect(error).toBeInstanceOf(CrmError);
    expect(error.code).toBe('CRM_RATE_LIMITED');
    expect(error.stopsScan).toBe(false);
    expect(nock.isDone()).toBe(true);
  });

  it('when a 429 DAILY comes, then the adapter stops at once with the error that ends a scan with its checkpoint', async () => {
    const scope = nock(API).post('/crm/v3/objects/tasks/batch/create').reply(429, rateLimitBody('DAILY'));
    const waits: number[] = [];
    const error = await buildCrm(db, {}, waits)
      .createTasks([{ idempotencyKey: 'k-daily', kind: 'ask', ownerId: '71', accountId: '1000', contactId: null, dealId: null, subject: 's', body: 'b', dueOn: '2026-11-29' }])
      .catch((e) => e);
    expect(error).toBeInstanceOf(CrmError);
    expect(error.code).toBe('CRM_DAILY_LIMIT');
    expect(error.details.policy).toBe('DAILY');
    expect(error.stopsScan).toBe(true);
    expect(waits).toEqual([]);
    expect(scope.isDone()).toBe(true);
  });

  it('when HubSpot answers 500 then 502 on a read, then the read is retried with growing backoff and succeeds', async () => {
    getCompany().reply(500, errorBody(500, 'INTERNAL_ERROR', 'internal error'));
    getCompany().reply(502, '<html>Bad gateway</html>');
    getCompany().reply(200, company('1000'));
    assocEmpty();
    owners();
    const waits: number[] = [];
    const crm = buildCrm(db, {}, waits);
    await expect(crm.getAccount('1000')).resolves.not.toBeNull();
    expect(waits).toEqual([10, 20]);
    expect(crm.stats.retried).toBe(2);
    expect(nock.isDone()).toBe(true);
  });

  it('when 5xx persists, then the call fails with CRM_UNAVAILABLE after the configured attempts', async () => {
    getCompany().times(3).reply(503, errorBody(503, 'SERVICE_UNAVAILABLE', 'try later'));
    const error = await buildCrm(db).getAccount('1000').catch((e) => e);
    expect(error.code).toBe('CRM_UNAVAILABLE');
    expect(error.details.status).toBe(503);
    expect(nock.isDone()).toBe(true);
  });

  it('when a task batch create gets a 500, then it is not sent again (HubSpot may have created them) and nothing is remembered as created', async () => {
    const scope = nock(API).post('/crm/v3/objects/tasks/batch/create').reply(500, errorBody(500, 'INTERNAL_ERROR', 'internal error'));
    const error = await buildCrm(db, { portalId: 'portal-500' })
      .createTasks([{ idempotencyKey: 'k-500', kind: 'ask', ownerId: '71', accountId: '1000', contactId: null, dealId: null, subject: 's', body: 'b', dueOn: '2026-11-29' }])
      .catch((e) => e);
    expect(error.code).toBe('CRM_UNAVAILABLE');
    expect(scope.isDone()).toBe(true);
    const { rows } = await db.query(`SELECT * FROM crm_created_objects WHERE portal_id = 'portal-500' AND object_id IS NOT NULL`);
    expect(rows).toEqual([]);
  });

  it('when HubSpot does not answer in time, then the read is retried and finally fails with CRM_TIMEOUT', async () => {
    getCompany().times(3).delay(800).reply(200, company('1000'));
    const error = await buildCrm(db).getAccount('1000').catch((e) => e);
    expect(error).toBeInstanceOf(CrmError);
    expect(error.code).toBe('CRM_TIMEOUT');
    expect(nock.isDone()).toBe(true);
  });

  it('when a private-app token is refused (401), then the adapter fails with a clear CRM_AUTH that stops the scan', async () => {
    const scope = getCompany().reply(401, { status: 'error', message: 'Authentication credentials not found.', correlationId: 'x', category: 'INVALID_AUTHENTICATION' });
    const error = await buildCrm(db).getAccount('1000').catch((e) => e);
    expect(error.code).toBe('CRM_AUTH');
    expect(error.message).toMatch(/HUBSPOT_ACCESS_TOKEN/);
    expect(error.stopsScan).toBe(true);
    expect(scope.isDone()).toBe(true);
  });

  it('when an OAuth token is refused (401), then it is refreshed once and the call goes again with the new token; a second 401 is CRM_AUTH', async () => {
    let current = 'access-old';
    const refreshes: number[] = [];
    const auth = {
      canRefresh: true,
      accessToken: async () => current,
      refresh: async () => {
        refreshes.push(1);
        current = 'access-new';
        return current;
      },
    };
    const old = nock(API, { reqheaders: { authorization: 'Bearer access-old' } }).get('/crm/v3/objects/companies/1000').query(true).reply(401, errorBody(401, 'EXPIRED_AUTHENTICATION', 'The OAuth token used to make this call expired'));
    const fresh = nock(API, { reqheaders: { authorization: 'Bearer access-new' } }).get('/crm/v3/objects/companies/1000').query(true).reply(200, company('1000'));
    assocEmpty();
    owners();
    await expect(buildCrm(db, { auth }).getAccount('1000')).resolves.not.toBeNull();
    expect(refreshes).toHaveLength(1);
    expect(old.isDone() && fresh.isDone()).toBe(true);

    nock(API).get('/crm/v3/objects/companies/1001').query(true).times(2).reply(401, errorBody(401, 'INVALID_AUTHENTICATION', 'revoked'));
    const error = await buildCrm(db, { auth }).getAccount('1001').catch((e) => e);
    expect(error.code).toBe('CRM_AUTH');
    expect(refreshes).toHaveLength(2);
  });
});
