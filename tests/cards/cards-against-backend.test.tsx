import { Alert, Button, Checkbox, Input, List, Select, StatisticsItem, Table, Tag, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalCrm } from '../../backend/src/crm/local/local-crm';
import { createApp } from '../../backend/src/http/create-app';
import { ReplayCache, verifyHubSpotSignature } from '../../backend/src/http/hubspot-signature';
import { hubspotRoutes } from '../../backend/src/http/routes/hubspot-routes';
import { applyDataset } from '../../backend/src/import/dataset';
import { runScan } from '../../backend/src/jobs/scan-portfolio';
import { createStore } from '../../backend/src/store/pg-store';
import { listAudit } from '../../backend/src/store/audit-log';
import type { Db } from '../../backend/src/store/db';
import { CompanyAdvocacyCard } from '../../cards/components/CompanyAdvocacyCard';
import { DealReferenceCard } from '../../cards/components/DealReferenceCard';
import { championsDataset, defaultCriteria, TODAY } from '../support/builders';
import { testContext } from '../support/context';
import { openTestDb } from '../support/store';
import { BASE_URL, eventually, fire, textOf } from './fetch-mock';

// The cards against the real backend: a stand-in for HubSpot's proxy appends the portal and
// user to the URL, signs the request (v3) with the app's client secret as HubSpot does, and
// forwards it to the backend listening on a loopback port. What the cards render is what the
// real routes answer.

const SECRET = 'card-test-client-secret';
const PORTAL = '111';

async function seed(db: Db) {
  const ds = championsDataset([
    { id: '9001', account: { industry: 'FinTech', region: 'EMEA', sizeBand: 'mid-market' } },
    { id: '9002', account: { industry: 'FinTech', region: 'NA', sizeBand: 'smb' } },
  ]);
  ds.deals.push({ dealId: 'deal-1', name: 'Prospect GmbH', accountId: null, ownerId: 'rep-1', amount: 120000, stage: 'open', closeDate: '2027-01-31', industry: 'FinTech', region: 'EMEA', sizeBand: 'mid-market', products: ['core'] });
  await db.transaction((tx) => applyDataset(tx, `hubspot:${PORTAL}`, ds));
}

describe('cards against the real backend, signed like HubSpot', () => {
  let db: Db;
  let server: Server;
  let port: number;
  const now = Date.parse(`${TODAY}T09:00:00.000Z`);

  beforeEach(async () => {
    db = await openTestDb('pglite');
    await seed(db);
    const ctx = await testContext(db, { crmFor: (portalId) => new LocalCrm(db, portalId) });
    const verify = verifyHubSpotSignature({ clientSecret: SECRET, publicBaseUrl: BASE_URL, now: () => now, replayCache: new ReplayCache() });
    const app = createApp({ ctx, extraRouters: [{ path: '/hubspot/v1', router: hubspotRoutes({ ctx, verify }) }] });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    port = (server.address() as AddressInfo).port;
    let timestamp = now;
    const hsFetch = async (url: string, options: { method?: string; body?: unknown } = {}) => {
      const method = options.method ?? 'GET';
      const signedUrl = `${url}${url.includes('?') ? '&' : '?'}portalId=${PORTAL}&userId=7&userEmail=csm@example.test&appId=99`;
      const body = options.body === undefined ? '' : JSON.stringify(options.body);
      const ts = String(timestamp++); // distinct per request, as real requests are
      const signature = createHmac('sha256', SECRET).update(`${method}${signedUrl}${body}${ts}`).digest('base64');
      return fetch(`http://127.0.0.1:${port}${signedUrl.slice(BASE_URL.length)}`, {
        method,
        headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': ts },
        ...(body ? { body } : {}),
      });
    };
    (globalThis as unknown as { self: { hsFetch: typeof hsFetch } }).self = { hsFetch };
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await db.close();
  });

  it('when a CSM creates the proposed task and records the outcome with consent, then the card shows each step from the backend', async () => {
    const r = createRenderer('crm.record.tab');
    r.mocks.context.crm.objectId = '9001' as unknown as number;
    r.mocks.context.variables = { ADVOCACY_BACKEND_URL: BASE_URL };
    r.render(<CompanyAdvocacyCard context={r.mocks.context} />);

    await eventually(() => expect(r.findByTestId(Button, 'create-task').text).toBe('Create task now'), 10_000);
    expect(typeof r.findByTestId(StatisticsItem, 'readiness-score').props.number).toBe('number');
    expect(r.findByTestId(Text, 'outreach-subject').text).not.toBe('');

    r.findByTestId(Button, 'create-task').trigger('onClick');
    await eventually(() => expect(r.findByTestId(Alert, 'open-ask')).toBeTruthy(), 10_000);
    expect(textOf(r.findByTestId(Alert, 'create-task-done'))).toMatch(/Task created for the CSM|task will be created shortly/);
    expect((await db.query(`SELECT count(*)::int AS n FROM asks`)).rows[0]).toEqual({ n: 1 });

    // The CSM reaches out, the customer agrees, the reference happens: one outcome at a time.
    for (const step of ['sent', 'accepted', 'completed']) {
      await eventually(() => expect(r.findByTestId(Select, 'outcome-status').props.options[0].value).toBe(step), 10_000);
      fire(r.findByTestId(Select, 'outcome-status'), 'onChange', step);
      if (step === 'completed') {
        fire(r.findByTestId(Checkbox, 'outcome-with-consent'), 'onChange', true);
        fire(r.findByTestId(Input, 'consent-evidence'), 'onChange', 'email of 24 November');
      }
      r.findByTestId(Button, 'outcome-submit').trigger('onClick');
      await eventually(() => expect(textOf(r.findByTestId(Alert, 'outcome-done'))).toMatch(new RegExp(`ask is now ${step}\\.$`)), 10_000);
    }
    await eventually(() => expect(textOf(r.findByTestId(Table, 'history-asks'))).toContain('Completed'), 10_000);
    expect(textOf(r.findByTestId(List, 'history-consents'))).toContain('(email of 24 November)');
    expect(r.maybeFindByTestId(Button, 'outcome-submit')).toBeNull();
  });

  it('when the daily scan proposed an ask, then the card shows it proposed with its outreach (not a hand-off), and the CSM takes it to completed with consent, audited as the HubSpot user', async () => {
    const portalId = `hubspot:${PORTAL}`;
    await runScan({ store: createStore(db), crm: new LocalCrm(db, portalId), criteria: defaultCriteria(), portalId, now: () => new Date(now) }, { asOf: TODAY });
    const r = createRenderer('crm.record.tab');
    r.mocks.context.crm.objectId = '9001' as unknown as number;
    r.mocks.context.variables = { ADVOCACY_BACKEND_URL: BASE_URL };
    r.render(<CompanyAdvocacyCard context={r.mocks.context} />);

    await eventually(() => expect(r.findByTestId(Alert, 'open-ask').props.title).toBe('Reference call ask is Proposed'), 10_000);
    expect(textOf(r.findByTestId(Alert, 'open-ask'))).toContain('Proposed for Champion 9001');
    expect(r.findByTestId(Text, 'open-ask-body').text).toContain('Champion');
    expect(r.findByTestId(Text, 'open-ask-rule').text).toMatch(/^Why this ask: /);
    expect(r.maybeFindByTestId(List, 'handoff-reasons')).toBeNull();

    r.findByTestId(Button, 'mark-sent').trigger('onClick');
    await eventually(() => expect(r.findByTestId(Alert, 'open-ask').props.title).toBe('Reference call ask is Sent'), 10_000);
    expect(r.findByTestId(Text, 'open-ask-next').text).toContain('accepted, declined, no response, cancelled');
    for (const step of ['accepted', 'completed']) {
      await eventually(() => expect(r.findByTestId(Select, 'outcome-status').props.options[0].value).toBe(step), 10_000);
      fire(r.findByTestId(Select, 'outcome-status'), 'onChange', step);
      if (step === 'completed') {
        fire(r.findByTestId(Checkbox, 'outcome-with-consent'), 'onChange', true);
        fire(r.findByTestId(Input, 'consent-evidence'), 'onChange', 'email of 24 November');
      }
      r.findByTestId(Button, 'outcome-submit').trigger('onClick');
      await eventually(() => expect(textOf(r.findByTestId(Alert, 'outcome-done'))).toMatch(new RegExp(`ask is now ${step}\\.$`)), 10_000);
    }
    await eventually(() => expect(r.maybeFindByTestId(Alert, 'open-ask')).toBeNull(), 10_000);
    expect(textOf(r.findByTestId(Table, 'history-asks'))).toContain('Completed');
    const moves = (await listAudit(db, portalId, { accountId: '9001' })).filter((e) => e.action === 'ask.transitioned' || e.action === 'consent.recorded');
    expect(moves.map((e) => e.actor)).toEqual(Array(moves.length).fill('hubspot-user:7 <csm@example.test>'));
    expect(moves).toHaveLength(4);
  });

  it('when a rep finds and requests an advocate from the deal, then the real match and the new request show', async () => {
    const r = createRenderer('crm.record.tab');
    r.mocks.context.crm.objectId = 'deal-1' as unknown as number;
    r.mocks.context.variables = { ADVOCACY_BACKEND_URL: BASE_URL };
    r.render(<DealReferenceCard context={r.mocks.context} />);

    await eventually(() => expect(r.findByTestId(Input, 'need-industry').props.value).toBe('FinTech'), 10_000);
    expect(r.findByTestId(Input, 'need-product').props.value).toBe('core');
    r.findByTestId(Button, 'find-advocates').trigger('onClick');
    await eventually(() => expect(r.findByTestId(Text, 'match-con-9001').text).toContain('Champion 9001 (Account 9001)'), 10_000);
    expect(r.findByTestId(Text, 'why-con-9001').text).toContain('industry FinTech (+30)');
    const rows = textOf(r.findByTestId(Table, 'matches'));
    expect(rows.indexOf('Champion 9001')).toBeLessThan(rows.indexOf('Champion 9002'));

    r.findByTestId(Button, 'request-con-9001').trigger('onClick');
    await eventually(() => expect(textOf(r.findByTestId(Alert, 'request-done'))).toContain('Requested Champion 9001 (Account 9001)'), 10_000);
    await eventually(() => expect(r.findAll(Tag).some((t) => t.text === 'Requested')).toBe(true), 10_000);
  });
});
