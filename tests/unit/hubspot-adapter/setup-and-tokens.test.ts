import nock from 'nock';
import { randomBytes } from 'node:crypto';
import { setupHubSpot } from '../../../backend/src/crm/hubspot/setup-hubspot';
import { decryptToken, encryptToken, parseEncryptionKey } from '../../../backend/src/crm/hubspot/token-cipher';
import { HubSpotTokenStore, staticToken } from '../../../backend/src/crm/hubspot/token-store';
import { PortalLimiter } from '../../../backend/src/crm/hubspot/portal-limiter';
import type { Db } from '../../../backend/src/store/db';
import { buildAsk } from '../../support/builders';
import { API, AT, buildCrm, company, errorBody, testPolicy, useNockedStore } from './hubspot-fixtures';

const WRITE_BACK = ['advocacy_readiness_score', 'advocacy_readiness_band', 'advocacy_status', 'advocacy_last_ask_date'];
const property = (name: string) => ({ name, label: name, type: 'string', fieldType: 'text', groupName: 'advocacy_loop', description: '', options: [], displayOrder: -1, calculated: false, externalOptions: false, hasUniqueValue: false, hidden: false, formField: false, createdAt: AT, updatedAt: AT, archived: false });
const schema = (withDeal = true) => ({
  id: '123456',
  objectTypeId: '2-123456',
  name: 'advocacy_ask',
  fullyQualifiedName: 'p_portal-1_advocacy_ask',
  labels: { singular: 'Advocacy Ask', plural: 'Advocacy Asks' },
  requiredProperties: ['ask_name', 'ask_id', 'ask_type', 'status'],
  searchableProperties: ['ask_name', 'ask_id'],
  primaryDisplayProperty: 'ask_name',
  properties: [],
  associations: [
    { id: '31', fromObjectTypeId: '2-123456', toObjectTypeId: '0-2', name: 'advocacy_ask_to_company', createdAt: AT, updatedAt: AT },
    { id: '33', fromObjectTypeId: '2-123456', toObjectTypeId: '0-1', name: 'advocacy_ask_to_contact', createdAt: AT, updatedAt: AT },
    ...(withDeal ? [{ id: '35', fromObjectTypeId: '2-123456', toObjectTypeId: '0-3', name: 'advocacy_ask_to_deal', createdAt: AT, updatedAt: AT }] : []),
  ],
  createdAt: AT,
  updatedAt: AT,
  archived: false,
});

const setup = () => setupHubSpot({ portalId: 'portal-1', auth: staticToken('pat-na1-test'), policy: testPolicy(), limiter: new PortalLimiter({ perWindow: 190, windowMs: 10_000, maxConcurrent: 2, marginShare: 0 }) });

describe('HubSpot setup and OAuth tokens', () => {
  let db: Db;
  useNockedStore((opened) => (db = opened));

  it('when setup runs on a fresh Enterprise portal, then it creates the property group, the four company properties and the ask schema with its associations', async () => {
    const group = nock(API).post('/crm/v3/properties/companies/groups', { name: 'advocacy_loop', label: 'Advocacy Loop', displayOrder: -1 }).reply(201, { name: 'advocacy_loop', label: 'Advocacy Loop', displayOrder: -1, archived: false });
    const read = nock(API).post('/crm/v3/properties/companies/batch/read', { archived: false, inputs: WRITE_BACK.map((name) => ({ name })) }).reply(207, { status: 'COMPLETE', results: [], numErrors: 4, errors: [], startedAt: AT, completedAt: AT });
    let created: Array<{ name: string; groupName: string; type: string; fieldType: string; options?: unknown[] }> = [];
    const create = nock(API)
      .post('/crm/v3/properties/companies/batch/create', (b) => (created = b.inputs) !== null)
      .reply(201, (_u, body) => ({ status: 'COMPLETE', results: (body as { inputs: Array<{ name: string }> }).inputs.map((i) => property(i.name)), startedAt: AT, completedAt: AT }));
    const list = nock(API).get('/crm-object-schemas/v3/schemas').query({ archived: 'false' }).reply(200, { results: [] });
    let schemaBody: { name: string; associatedObjects: string[]; properties: Array<{ name: string; hasUniqueValue?: boolean }> } | null = null;
    const createSchema = nock(API)
      .post('/crm-object-schemas/v3/schemas', (b) => (schemaBody = b) !== null)
      .reply(201, schema());

    const report = await setup();

    expect([group, read, create, list, createSchema].every((s) => s.isDone())).toBe(true);
    expect(created.map((p) => p.name)).toEqual(WRITE_BACK);
    expect(created.every((p) => p.groupName === 'advocacy_loop')).toBe(true);
    expect(created.find((p) => p.name === 'advocacy_readiness_band')).toMatchObject({ type: 'enumeration', fieldType: 'select', options: expect.arrayContaining([expect.objectContaining({ value: 'green' })]) });
    expect(schemaBody!.name).toBe('advocacy_ask');
    expect(schemaBody!.associatedObjects).toEqual(['COMPANY', 'CONTACT', 'DEAL']);
    expect(schemaBody!.properties.find((p) => p.name === 'ask_id')?.hasUniqueValue).toBe(true);
    expect(report).toEqual({
      mode: 'custom_object',
      modeReason: null,
      created: ['companies group advocacy_loop', ...WRITE_BACK.map((n) => `companies.${n}`), 'schema advocacy_ask', 'association advocacy_ask -> company', 'association advocacy_ask -> contact', 'association advocacy_ask -> deal'],
      alreadyThere: [],
      failed: [],
      askObject: { objectTypeId: '2-123456', associationTypeIds: { company: 31, contact: 33, deal: 35 } },
    });
  });

  it('when setup runs again, then everything is reported as already there and nothing is created; a missing association is added', async () => {
    nock(API).post('/crm/v3/properties/companies/groups').reply(409, errorBody(409, 'OBJECT_ALREADY_EXISTS', 'A property group named advocacy_loop already exists'));
    nock(API).post('/crm/v3/properties/companies/batch/read').reply(200, { status: 'COMPLETE', results: WRITE_BACK.map(property), startedAt: AT, completedAt: AT });
    nock(API).get('/crm-object-schemas/v3/schemas').query(true).reply(200, { results: [schema(false)] });
    const assoc = nock(API).post('/crm-object-schemas/v3/schemas/2-123456/associations', { fromObjectTypeId: '2-123456', toObjectTypeId: '0-3' }).reply(201, { id: '37', fromObjectTypeId: '2-123456', toObjectTypeId: '0-3', createdAt: AT, updatedAt: AT });

    const report = await setup();

    expect(assoc.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
    expect(report.mode).toBe('custom_object');
    expect(report.failed).toEqual([]);
    expect(report.created).toEqual(['association advocacy_ask -> deal']);
    expect(report.alreadyThere).toEqual(['companies group advocacy_loop', ...WRITE_BACK.map((n) => `companies.${n}`), 'schema advocacy_ask', 'association advocacy_ask -> company', 'association advocacy_ask -> contact']);
    expect(report.askObject).toEqual({ objectTypeId: '2-123456', associationTypeIds: { company: 31, contact: 33, deal: 37 } });
  });

  it('when the portal has no custom objects (schemas API 403), then setup falls back to notes mode, says why, and that portal\'s adapter then writes asks as notes', async () => {
    nock(API).post('/crm/v3/properties/companies/groups').reply(409, errorBody(409, 'OBJECT_ALREADY_EXISTS', 'exists'));
    nock(API).post('/crm/v3/properties/companies/batch/read').reply(200, { status: 'COMPLETE', results: WRITE_BACK.map(property), startedAt: AT, completedAt: AT });
    nock(API).get('/crm-object-schemas/v3/schemas').query(true).reply(403, { status: 'error', message: 'This portal does not have access to custom objects', correlationId: 'x', category: 'MISSING_SCOPES' });

    const report = await setupHubSpot({ portalId: 'portal-pro', db, auth: staticToken('pat-na1-test'), policy: testPolicy(), limiter: new PortalLimiter({ perWindow: 190, windowMs: 10_000, maxConcurrent: 2, marginShare: 0 }) });

    expect(nock.isDone()).toBe(true);
    expect(report.mode).toBe('notes');
    expect(report.modeReason).toMatch(/custom objects need Enterprise/);
    expect(report.askObject).toBeNull();
    expect(report.failed).toEqual([]);

    const notes = nock(API)
      .post('/crm/v3/objects/notes/batch/create')
      .reply(201, (_u, body) => ({ status: 'COMPLETE', startedAt: AT, completedAt: AT, results: (body as { inputs: Array<{ objectWriteTraceId: string }> }).inputs.map((i) => ({ id: '4501', properties: {}, objectWriteTraceId: i.objectWriteTraceId, createdAt: AT, updatedAt: AT })) }));
    await expect(buildCrm(db, { portalId: 'portal-pro', askObject: null }).saveAsk(buildAsk({ askId: 'ask-pro' }))).resolves.toEqual({ crmAskId: '4501' });
    expect(notes.isDone()).toBe(true);
    // Another portal set up with the custom object is not affected.
    expect(await buildCrm(db, { portalId: 'portal-enterprise' }).askStorage()).toBe('custom_object');
  });

  it('when OAuth tokens are stored, then the database holds only ciphertext bound to the portal, and they read back', async () => {
    const key = randomBytes(32);
    const store = new HubSpotTokenStore(db, key, { clientId: 'cid', clientSecret: 'csecret' }, () => new Date('2026-11-24T09:00:00.000Z'));
    await store.save('portal-A', { accessToken: 'CJDx-access-token-A', refreshToken: 'na1-refresh-token-A', expiresAt: new Date('2026-11-24T09:30:00.000Z') });

    const { rows } = await db.query<{ access_token_enc: string; refresh_token_enc: string }>(`SELECT access_token_enc, refresh_token_enc FROM hubspot_tokens WHERE portal_id = 'portal-A'`);
    expect(rows[0].access_token_enc).not.toContain('access-token-A');
    expect(rows[0].refresh_token_enc).not.toContain('refresh-token-A');
    expect(Buffer.from(rows[0].access_token_enc.split('.')[3], 'base64url').toString('utf8')).not.toContain('access-token-A');
    await expect(store.load('portal-A')).resolves.toEqual({ accessToken: 'CJDx-access-token-A', refreshToken: 'na1-refresh-token-A', expiresAt: new Date('2026-11-24T09:30:00.000Z') });
    await expect(store.accessToken('portal-A')).resolves.toBe('CJDx-access-token-A');

    // Portal B's row holding A's ciphertext does not decrypt: tokens cannot cross portals.
    await db.query(`INSERT INTO hubspot_tokens (portal_id, access_token_enc, refresh_token_enc, expires_at) VALUES ('portal-B', $1, $2, now())`, [rows[0].access_token_enc, rows[0].refresh_token_enc]);
    await expect(store.load('portal-B')).rejects.toThrow();
    expect(() => decryptToken(randomBytes(32), encryptToken(key, 'x', 'p:access'), 'p:access')).toThrow();
    expect(parseEncryptionKey(key.toString('base64'))).toEqual(key);
    expect(() => parseEncryptionKey('too-short')).toThrow(/32 bytes/);
  });

  it('when an OAuth access token has expired, then it is refreshed through HubSpot\'s token endpoint and the new tokens are stored encrypted', async () => {
    const key = randomBytes(32);
    const store = new HubSpotTokenStore(db, key, { clientId: 'cid', clientSecret: 'csecret' }, () => new Date('2026-11-24T10:00:00.000Z'));
    await store.save('portal-R', { accessToken: 'old-access', refreshToken: 'the-refresh', expiresAt: new Date('2026-11-24T09:59:30.000Z') });
    let form = '';
    const refresh = nock(API)
      .post('/oauth/v1/token', (b) => (form = new URLSearchParams(b).toString()) !== '')
      .reply(200, { token_type: 'bearer', refresh_token: 'the-refresh', access_token: 'new-access', expires_in: 1800 });
    const call = nock(API, { reqheaders: { authorization: 'Bearer new-access' } }).get('/crm/v3/objects/companies/1000').query(true).reply(200, company('1000'));
    nock(API).post('/crm/v4/associations/companies/contacts/batch/read').reply(200, { status: 'COMPLETE', results: [], startedAt: AT, completedAt: AT });
    nock(API).get('/crm/v3/owners/').query(true).reply(200, { results: [] });

    await expect(buildCrm(db, { auth: store.sourceFor('portal-R') }).getAccount('1000')).resolves.not.toBeNull();

    expect(refresh.isDone() && call.isDone()).toBe(true);
    const params = new URLSearchParams(form);
    expect([params.get('grant_type'), params.get('client_id'), params.get('client_secret'), params.get('refresh_token')]).toEqual(['refresh_token', 'cid', 'csecret', 'the-refresh']);
    const stored = await store.load('portal-R');
    expect(stored).toEqual({ accessToken: 'new-access', refreshToken: 'the-refresh', expiresAt: new Date('2026-11-24T10:30:00.000Z') });
  });

  it('when a portal installs the app (OAuth callback), then the code is exchanged, the portal comes from HubSpot\'s token info, and the tokens are stored encrypted', async () => {
    const store = new HubSpotTokenStore(db, randomBytes(32), { clientId: 'cid', clientSecret: 'csecret' }, () => new Date('2026-11-24T10:00:00.000Z'));
    let form = new URLSearchParams();
    const exchange = nock(API)
      .post('/oauth/v1/token', (b) => (form = new URLSearchParams(b)) !== null)
      .reply(200, { token_type: 'bearer', refresh_token: 'install-refresh', access_token: 'install-access', expires_in: 1800 });
    const info = nock(API)
      .get('/oauth/v1/access-tokens/install-access')
      .reply(200, { token: 'install-access', user: 'admin@example.com', hub_domain: 'example.com', scopes: ['crm.objects.companies.read', 'crm.objects.companies.write'], hub_id: 44556677, app_id: 999, expires_in: 1799, user_id: 123, token_type: 'access' });

    await expect(store.install('the-code', 'https://advocacy.example.com/oauth/callback')).resolves.toEqual({ portalId: 'hubspot:44556677', scopes: ['crm.objects.companies.read', 'crm.objects.companies.write'] });

    expect(exchange.isDone() && info.isDone()).toBe(true);
    expect([form.get('grant_type'), form.get('code'), form.get('redirect_uri')]).toEqual(['authorization_code', 'the-code', 'https://advocacy.example.com/oauth/callback']);
    await expect(store.load('hubspot:44556677')).resolves.toEqual({ accessToken: 'install-access', refreshToken: 'install-refresh', expiresAt: new Date('2026-11-24T10:30:00.000Z') });
    const { rows } = await db.query<{ access_token_enc: string }>(`SELECT access_token_enc FROM hubspot_tokens WHERE portal_id = 'hubspot:44556677'`);
    expect(rows[0].access_token_enc).not.toContain('install-access');
  });

  it('when HubSpot refuses the refresh (revoked install), then the adapter fails with CRM_AUTH naming the portal', async () => {
    const store = new HubSpotTokenStore(db, randomBytes(32), { clientId: 'cid', clientSecret: 'csecret' }, () => new Date('2026-11-24T10:00:00.000Z'));
    await store.save('portal-X', { accessToken: 'stale-access-xyz', refreshToken: 'revoked-refresh-xyz', expiresAt: new Date('2026-11-24T09:00:00.000Z') });
    nock(API).post('/oauth/v1/token').reply(400, { status: 'BAD_REFRESH_TOKEN', message: 'missing or unknown refresh token' });
    const error = await buildCrm(db, { auth: store.sourceFor('portal-X') }).getAccount('1000').catch((e) => e);
    expect(error.code).toBe('CRM_AUTH');
    expect(error.message).toMatch(/portal-X/);
    expect(error.message).not.toContain('revoked-refresh-xyz');
    expect(error.message).not.toContain('csecret');
  });

  it('when HubSpot does not answer a token refresh, then it times out as an auth failure instead of stalling the portal', async () => {
    const store = new HubSpotTokenStore(db, randomBytes(32), { clientId: 'cid', clientSecret: 'csecret' }, () => new Date('2026-11-24T10:00:00.000Z'), 100);
    await store.save('portal-slow', { accessToken: 'old', refreshToken: 'r', expiresAt: new Date('2026-11-24T09:00:00.000Z') });
    nock(API).post('/oauth/v1/token').delay(2000).reply(200, { access_token: 'late', refresh_token: 'r', expires_in: 1800 });
    const error = await store.accessToken('portal-slow').catch((e) => e);
    expect(error.code).toBe('CRM_AUTH');
    expect(error.message).toMatch(/portal-slow/);
  });
});
