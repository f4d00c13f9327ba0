import express from 'express';
import request from 'supertest';
import type { AppContext } from '../../../backend/src/app-context';
import { LocalCrm } from '../../../backend/src/crm/local/local-crm';
import { applyDataset } from '../../../backend/src/import/dataset';
import { createApp } from '../../../backend/src/http/create-app';
import { salesforceUiRoutes } from '../../../backend/src/http/routes/salesforce-ui-routes';
import { salesforceOrgAuth } from '../../../backend/src/http/salesforce-org-auth';
import { orgKeyCommand } from '../../../backend/src/cli/commands/salesforce-org-keys';
import type { Db } from '../../../backend/src/store/db';
import { accountAdvocacy } from '../../../backend/src/use-cases/account-advocacy';
import { issueOrgKey, revokeOrgKeyOf } from '../../../backend/src/use-cases/salesforce-org-keys';
import { championsDataset } from '../../support/builders';
import { testContext } from '../../support/context';
import { openTestDb, storeKinds } from '../../support/store';

// The routes the Lightning components' Apex calls, authenticated by the org's key (what the
// External Credential sends), mapped to the org's portal, audited as the Salesforce user.

const ORG_A = '00D5g000004AAAAEAA';
const ORG_B = '00D5g000004BBBBEAA';
const ORG_C = '00D5g000004CCCCEAA'; // has a key here, but this deployment does not serve it
const PORTAL_A = 'salesforce:00D5g000004AAAA';
const PORTAL_B = 'salesforce:00D5g000004BBBB';
const PORTAL_C = 'salesforce:00D5g000004CCCC';
const USER = '0055g00000CSMAAAA2';
const ACC_A = '0015g00000AcmeAAA';
const ACC_B = '0015g00000GlobxAA';

describe.each(storeKinds())('Salesforce component routes behind org keys (%s)', (kind) => {
  let db: Db;
  let ctx: AppContext;
  let app: express.Express;
  let keyA: string;
  let keyB: string;
  let keyC: string;
  const now = { at: new Date('2026-11-24T09:00:00.000Z') };

  beforeEach(async () => {
    db = await openTestDb(kind);
    await db.transaction((tx) => applyDataset(tx, PORTAL_A, championsDataset([{ id: ACC_A, account: { name: 'Acme (org A)' } }])));
    await db.transaction((tx) => applyDataset(tx, PORTAL_B, championsDataset([{ id: ACC_B, account: { name: 'Globex (org B)' } }])));
    ctx = await testContext(db, { crmFor: (portalId) => new LocalCrm(db, portalId) });
    now.at = new Date('2026-11-24T09:00:00.000Z');
    ctx.now = () => now.at;
    keyA = (await issueOrgKey(ctx, PORTAL_A, { days: 30, actor: 'cli:admin' })).key;
    keyB = (await issueOrgKey(ctx, PORTAL_B, { days: 30, actor: 'cli:admin' })).key;
    keyC = (await issueOrgKey(ctx, PORTAL_C, { days: 30, actor: 'cli:admin' })).key;
    const authenticate = salesforceOrgAuth({ ctx, serves: (p) => p === PORTAL_A || p === PORTAL_B });
    app = createApp({ ctx, extraRouters: [{ path: '/salesforce/ui/v1', router: salesforceUiRoutes({ ctx, authenticate }) }] });
  });
  afterEach(async () => db.close());

  const as = (req: request.Test, key: string, org = ORG_A, user = USER) => req.set('X-Advocacy-Org-Key', key).set('X-Advocacy-Org-Id', org).set('X-Advocacy-User-Id', user);

  it("when the org's Apex presents its key, then it gets the same account view the cards get, for its own org", async () => {
    const res = await as(request(app).get(`/salesforce/ui/v1/accounts/${ACC_A}/advocacy`), keyA).expect(200);
    expect(res.body.account.name).toBe('Acme (org A)');
    expect(res.body).toEqual(JSON.parse(JSON.stringify(await accountAdvocacy(ctx, PORTAL_A, ACC_A))));
    const b = await as(request(app).get(`/salesforce/ui/v1/accounts/${ACC_B}/advocacy`), keyB, ORG_B).expect(200);
    expect(b.body.account.name).toBe('Globex (org B)');
  });

  it('when a Salesforce user acts through the component, then the audit log names that user as the actor', async () => {
    const created = await as(request(app).post(`/salesforce/ui/v1/accounts/${ACC_A}/asks`), keyA).expect(201);
    const askId = created.body.ask?.askId ?? created.body.askId;
    expect(typeof askId).toBe('string');
    await as(request(app).post(`/salesforce/ui/v1/asks/${askId}/outcome`).set('X-Advocacy-Record-Id', ACC_A).send({ status: 'sent' }), keyA).expect(200);
    const entries = (await ctx.store.audit.list(PORTAL_A, { accountId: ACC_A })).filter((e) => e.action === 'ask.transitioned' || e.action === 'ask.proposed');
    expect(entries.length).toBeGreaterThanOrEqual(2);
    expect(new Set(entries.map((e) => e.actor))).toEqual(new Set([`salesforce-user:${USER}`]));
  });

  it('when the key is missing, malformed or not one this backend issued, then nothing runs (401)', async () => {
    const wrongSecret = keyA.replace(/\.[^.]+$/, `.${'A'.repeat(43)}`);
    for (const key of [undefined, 'Bearer nonsense', wrongSecret, keyA.replace(/^alk\.[0-9a-f]{16}/, 'alk.0123456789abcdef')]) {
      const req = request(app).get(`/salesforce/ui/v1/accounts/${ACC_A}/advocacy`).set('X-Advocacy-Org-Id', ORG_A).set('X-Advocacy-User-Id', USER);
      const res = await (key ? req.set('X-Advocacy-Org-Key', key) : req).expect(401);
      expect(res.body.error.code).toBe('UNAUTHORIZED');
      expect(JSON.stringify(res.body)).not.toContain('Acme');
    }
  });

  it('when wrong keys keep coming from one address, then the failed-authentication limit stops that address, even with the right key', async () => {
    const authenticate = salesforceOrgAuth({ ctx, serves: (p) => p === PORTAL_A });
    const limited = createApp({ ctx, authFailureLimit: { limit: 2, windowMs: 60_000 }, extraRouters: [{ path: '/salesforce/ui/v1', router: salesforceUiRoutes({ ctx, authenticate }) }] });
    const wrong = keyA.replace(/\.[^.]+$/, `.${'B'.repeat(43)}`);
    for (let i = 0; i < 2; i++) await as(request(limited).get(`/salesforce/ui/v1/accounts/${ACC_A}/advocacy`), wrong).expect(401);
    expect((await as(request(limited).get(`/salesforce/ui/v1/accounts/${ACC_A}/advocacy`), keyA).expect(429)).body.error.code).toBe('TOO_MANY_FAILED_AUTH');
  });

  it("when org A's key asks for org B's account or ask, then it is not found and nothing is written in either org", async () => {
    const bAsk = await as(request(app).post(`/salesforce/ui/v1/accounts/${ACC_B}/asks`), keyB, ORG_B).expect(201);
    const bAskId = bAsk.body.ask?.askId ?? bAsk.body.askId;
    const before = (await db.query(`SELECT portal_id, count(*)::int AS n FROM asks GROUP BY portal_id ORDER BY portal_id`)).rows;
    expect((await as(request(app).get(`/salesforce/ui/v1/accounts/${ACC_B}/advocacy`), keyA).expect(404)).body.error.code).toBe('ACCOUNT_NOT_FOUND');
    await as(request(app).post(`/salesforce/ui/v1/accounts/${ACC_B}/asks`), keyA).expect(404);
    expect((await as(request(app).post(`/salesforce/ui/v1/asks/${bAskId}/outcome`).set('X-Advocacy-Record-Id', ACC_B).send({ status: 'sent' }), keyA).expect(404)).body.error.code).toBe('ASK_NOT_FOUND');
    expect((await db.query(`SELECT portal_id, count(*)::int AS n FROM asks GROUP BY portal_id ORDER BY portal_id`)).rows).toEqual(before);
    expect((await ctx.store.asks.get(PORTAL_B, bAskId))?.status).toBe('proposed');
  });

  it("when an ask is acted on from a record it does not belong to, or from no record, then it is not found / refused and stays as it was", async () => {
    await db.transaction((tx) => applyDataset(tx, PORTAL_A, championsDataset([{ id: '0015g00000OtherAA', account: { name: 'Other (org A)' } }])));
    const created = await as(request(app).post(`/salesforce/ui/v1/accounts/${ACC_A}/asks`), keyA).expect(201);
    const askId = created.body.ask?.askId ?? created.body.askId;
    // The Apex names the record the component is on (one the user can read); another account's ask is not reachable from it.
    const elsewhere = await as(request(app).post(`/salesforce/ui/v1/asks/${askId}/outcome`).set('X-Advocacy-Record-Id', '0015g00000OtherAA').send({ status: 'sent' }), keyA).expect(404);
    expect(elsewhere.body.error.code).toBe('ASK_NOT_FOUND');
    const noRecord = await as(request(app).post(`/salesforce/ui/v1/asks/${askId}/note`).send({ note: 'x' }), keyA).expect(400);
    expect(noRecord.body.error.message).toContain('x-advocacy-record-id');
    expect((await ctx.store.asks.get(PORTAL_A, askId))?.status).toBe('proposed');
  });

  it("when a key is sent by another org than the one it was issued for, or for an org this backend does not serve, then it is refused (403)", async () => {
    expect((await as(request(app).get(`/salesforce/ui/v1/accounts/${ACC_B}/advocacy`), keyA, ORG_B).expect(403)).body.error.code).toBe('ORG_MISMATCH');
    expect((await as(request(app).get(`/salesforce/ui/v1/accounts/${ACC_A}/advocacy`), keyC, ORG_C).expect(403)).body.error.code).toBe('ORG_NOT_SERVED');
  });

  it('when the key has expired or was revoked, then the org is told which, and nothing runs', async () => {
    now.at = new Date('2026-12-24T09:00:00.001Z'); // 30 days and a moment later
    const expired = await as(request(app).get(`/salesforce/ui/v1/accounts/${ACC_A}/advocacy`), keyA).expect(401);
    expect(expired.body.error).toMatchObject({ code: 'ORG_KEY_EXPIRED' });
    expect(expired.body.error.message).toContain('2026-12-24T09:00:00.000Z');
    now.at = new Date('2026-11-25T09:00:00.000Z');
    await as(request(app).get(`/salesforce/ui/v1/accounts/${ACC_A}/advocacy`), keyA).expect(200);
    const keyId = keyA.split('.')[1];
    expect(await revokeOrgKeyOf(ctx, PORTAL_B, keyId, 'cli:admin')).toBe(false); // another org cannot revoke it
    expect(await revokeOrgKeyOf(ctx, PORTAL_A, keyId, 'cli:admin')).toBe(true);
    expect((await as(request(app).get(`/salesforce/ui/v1/accounts/${ACC_A}/advocacy`), keyA).expect(401)).body.error.code).toBe('ORG_KEY_REVOKED');
    // Only the holder of the secret learns that: a guess at the same key id is just unknown.
    const guess = keyA.replace(/\.[^.]+$/, `.${'C'.repeat(43)}`);
    expect((await as(request(app).get(`/salesforce/ui/v1/accounts/${ACC_A}/advocacy`), guess).expect(401)).body.error.code).toBe('UNAUTHORIZED');
    // The other org's key still works.
    await as(request(app).get(`/salesforce/ui/v1/accounts/${ACC_B}/advocacy`), keyB, ORG_B).expect(200);
  });

  it('when the Apex sends no acting user, or a body that is not what the route takes, then it is a 400 naming what is wrong', async () => {
    const noUser = await request(app).get(`/salesforce/ui/v1/accounts/${ACC_A}/advocacy`).set('X-Advocacy-Org-Key', keyA).set('X-Advocacy-Org-Id', ORG_A).expect(400);
    expect(noUser.body.error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(noUser.body.error.details)).toContain('x-advocacy-user-id');
    const badBody = await as(request(app).post(`/salesforce/ui/v1/accounts/${ACC_A}/csm-asks`).send({ askType: 'poem' }), keyA).expect(400);
    expect(badBody.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('when keys are issued, then only their hash is stored, and issuing and revoking are audited', async () => {
    const rows = (await db.query<Record<string, unknown>>(`SELECT * FROM salesforce_org_keys`)).rows;
    expect(rows).toHaveLength(3);
    const secretA = keyA.split('.')[2];
    expect(JSON.stringify(rows)).not.toContain(secretA);
    const io = { out: '', stdout: { write: (s: string) => void (io.out += s) }, stderr: { write: (s: string) => void (io.out += s) }, env: {} };
    const portalCtx = { ...ctx, defaultPortalId: PORTAL_A };
    expect(await orgKeyCommand(portalCtx, io as never, { issueKey: true, keyDays: '7' }, 'cli:admin')).toBe(0);
    const issued = /alk\.([0-9a-f]{16})\.[A-Za-z0-9_-]{43}/.exec(io.out)!;
    expect(io.out).toContain('valid until 2026-12-01T09:00:00.000Z');
    await as(request(app).get(`/salesforce/ui/v1/accounts/${ACC_A}/advocacy`), issued[0]).expect(200);
    expect(await orgKeyCommand(portalCtx, io as never, { revokeKey: issued[1] }, 'cli:admin')).toBe(0);
    expect(await orgKeyCommand(portalCtx, io as never, { revokeKey: issued[1] }, 'cli:admin')).toBe(1);
    io.out = '';
    expect(await orgKeyCommand(portalCtx, io as never, { listKeys: true }, 'cli:admin')).toBe(0);
    expect(io.out).toContain(`${issued[1]}  issued 2026-11-24T09:00:00.000Z by cli:admin  revoked 2026-11-24T09:00:00.000Z`);
    const audit = (await ctx.store.audit.list(PORTAL_A)).map((e) => `${e.action} ${e.entityId} ${e.actor}`);
    expect(audit).toEqual(expect.arrayContaining([`salesforce.org_key_issued ${issued[1]} cli:admin`, `salesforce.org_key_revoked ${issued[1]} cli:admin`]));
    await expect(orgKeyCommand({ ...ctx, defaultPortalId: 'local' }, io as never, { issueKey: true }, 'cli:admin')).rejects.toThrow('PORTAL_ID=salesforce:');
  });
});
