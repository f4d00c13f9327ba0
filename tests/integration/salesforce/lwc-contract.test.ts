import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { LocalCrm } from '../../../backend/src/crm/local/local-crm';
import { applyDataset } from '../../../backend/src/import/dataset';
import { createApp } from '../../../backend/src/http/create-app';
import { salesforceUiRoutes } from '../../../backend/src/http/routes/salesforce-ui-routes';
import { salesforceOrgAuth } from '../../../backend/src/http/salesforce-org-auth';
import type { Db } from '../../../backend/src/store/db';
import { issueOrgKey } from '../../../backend/src/use-cases/salesforce-org-keys';
import { buildConsent, championsDataset } from '../../support/builders';
import { testContext } from '../../support/context';
import { openTestDb } from '../../support/store';

// One contract for both CRMs' UIs. The Lightning components' tests (tests/lwc, run by
// sfdx-lwc-jest) render the answers in tests/lwc/fixtures/; these are real answers of the
// backend's Salesforce routes (the same routes and use cases as the HubSpot cards), taken here
// through the org-key guard. When an answer's shape changes (a field added, removed, renamed or
// of another type), this test fails until the fixtures are regenerated
// (UPDATE_LWC_FIXTURES=1), and then the component tests show what the components must change.
// The cards' own copy of the types is held to the same backend types by tests/cards/contract.test.ts.

const FIXTURES = join(__dirname, '../../lwc/fixtures');
const ORG = '00D5g000004LWCAEAA';
const PORTAL = 'salesforce:00D5g000004LWCA';
const USER = '0055g00000CSMAAAA2';

/** The JSON type skeleton of a value: keys and primitive types, array elements merged. */
function shapeOf(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    const shapes = value.map(shapeOf);
    const merged = shapes.reduce<Record<string, unknown> | unknown>((acc, s) => (acc === undefined ? s : mergeShapes(acc, s)), undefined);
    return [merged ?? 'empty'];
  }
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, shapeOf(v)]));
  return typeof value;
}

function mergeShapes(a: unknown, b: unknown): unknown {
  if (JSON.stringify(a) === JSON.stringify(b)) return a;
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return Object.fromEntries(keys.map((k) => [k, mergeShapes((a as Record<string, unknown>)[k] ?? 'absent', (b as Record<string, unknown>)[k] ?? 'absent')]));
  }
  // A nullable field: both kinds seen.
  return [a, b].flat().filter((x, i, all) => all.findIndex((y) => JSON.stringify(y) === JSON.stringify(x)) === i).sort();
}

async function answers(db: Db): Promise<Record<string, unknown>> {
  const ds = championsDataset([
    { id: '0015g00000PropAAA', account: { name: 'Acme Analytics', industry: 'FinTech', region: 'EMEA', sizeBand: 'mid-market' } },
    { id: '0015g00000StratAAA', account: { name: 'Globex', strategic: true } },
    { id: '0015g00000LowAAAA', account: { name: 'Initech', healthScore: 42, csat: null } },
    { id: '0015g00000RefAAAA', account: { name: 'Umbrella', industry: 'FinTech', region: 'EMEA', sizeBand: 'mid-market' } },
  ]);
  ds.consents.push({ ...buildConsent({ consentId: 'consent-umbrella-logo', accountId: '0015g00000RefAAAA', contactId: 'con-0015g00000RefAAAA', scope: 'logo', evidence: 'signed form, 2026-10-02' }), askId: null } as never);
  ds.deals.push({ dealId: '0065g00000DealAAA', name: 'Prospect GmbH', accountId: null, ownerId: 'rep-1', amount: 120000, stage: 'open', closeDate: '2027-01-31', industry: 'FinTech', region: 'EMEA', sizeBand: 'mid-market', products: ['core'] });
  await db.transaction((tx) => applyDataset(tx, PORTAL, ds));
  const ctx = await testContext(db, { crmFor: (p) => new LocalCrm(db, p) });
  const { key } = await issueOrgKey(ctx, PORTAL, { days: 30, actor: 'cli:admin' });
  const app = createApp({ ctx, extraRouters: [{ path: '/salesforce/ui/v1', router: salesforceUiRoutes({ ctx, authenticate: salesforceOrgAuth({ ctx, serves: (p) => p === PORTAL }) }) }] });
  const call = async (method: 'get' | 'post', path: string, body?: unknown, record?: string) => {
    let req = request(app)[method](`/salesforce/ui/v1${path}`).set('X-Advocacy-Org-Key', key).set('X-Advocacy-Org-Id', ORG).set('X-Advocacy-User-Id', USER);
    if (record) req = req.set('X-Advocacy-Record-Id', record);
    const res = await (body ? req.send(body as object) : req);
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const out: Record<string, unknown> = {};
  const P = '0015g00000PropAAA';
  out['account-propose'] = await call('get', `/accounts/${P}/advocacy`);
  out['create-ask'] = await call('post', `/accounts/${P}/asks`);
  out['account-proposed'] = await call('get', `/accounts/${P}/advocacy`);
  const askId = (out['account-proposed'] as { openAsk: { askId: string } }).openAsk.askId;
  out['ask-outcome'] = await call('post', `/asks/${askId}/outcome`, { status: 'sent' }, P);
  out['account-sent'] = await call('get', `/accounts/${P}/advocacy`);
  out['account-handoff'] = await call('get', '/accounts/0015g00000StratAAA/advocacy');
  out['csm-ask'] = await call('post', '/accounts/0015g00000StratAAA/csm-asks', { askType: 'reference_call', contactId: 'con-0015g00000StratAAA', askedOn: '2026-11-20', note: 'asked at the QBR' });
  out['account-not-ready'] = await call('get', '/accounts/0015g00000LowAAAA/advocacy');
  out['account-history'] = await call('get', '/accounts/0015g00000RefAAAA/advocacy');
  out['contact'] = await call('get', `/contacts/con-${P}/advocate`);
  out['contact-with-consent'] = await call('get', '/contacts/con-0015g00000RefAAAA/advocate');
  const D = '0065g00000DealAAA';
  out['deal-empty'] = await call('get', `/deals/${D}/reference-requests`);
  const prefill = (out['deal-empty'] as { prefill: Record<string, unknown> }).prefill;
  out['matches'] = await call('post', `/deals/${D}/reference-matches`, prefill);
  out['matches-none'] = await call('post', `/deals/${D}/reference-matches`, { askType: 'reference_call', industry: 'Aerospace', region: 'APAC' });
  out['reference-request'] = await call('post', `/deals/${D}/reference-requests`, { need: prefill, contactId: 'con-0015g00000RefAAAA' });
  const refAsk = (out['reference-request'] as { request: { askId: string } }).request.askId;
  await call('post', `/asks/${refAsk}/outcome`, { status: 'sent' }, D);
  await call('post', `/asks/${refAsk}/outcome`, { status: 'accepted' }, D);
  out['deal-scheduled'] = await call('get', `/deals/${D}/reference-requests`);
  out['reference-completed'] = await call('post', `/asks/${refAsk}/outcome`, { status: 'completed', note: 'Call held on Tuesday', feedback: { advocate: 'Happy to help again', prospect: 'Convinced us on the migration risk' } }, D);
  out['deal-completed'] = await call('get', `/deals/${D}/reference-requests`);
  return out;
}

describe("the Lightning components' fixtures are the backend's answers", () => {
  let db: Db;
  beforeEach(async () => {
    db = await openTestDb('pglite');
  });
  afterEach(async () => db.close());

  it('when the backend answers the routes the components call, then each answer has the shape of the fixture the component tests render', async () => {
    const got = await answers(db);
    // The states the components show, each from a real answer.
    expect((got['account-propose'] as { evaluation: { decision: string } }).evaluation.decision).toBe('propose');
    expect((got['account-proposed'] as { openAsk: { status: string } }).openAsk.status).toBe('proposed');
    expect((got['account-sent'] as { openAsk: { status: string } }).openAsk.status).toBe('sent');
    expect((got['account-handoff'] as { evaluation: { decision: string } }).evaluation.decision).toBe('handoff');
    expect((got['account-not-ready'] as { evaluation: { decision: string } }).evaluation.decision).toBe('not_ready');
    expect((got['matches'] as { matches: unknown[] }).matches.length).toBeGreaterThan(0);
    expect((got['matches-none'] as { explanation: string | null }).explanation).toEqual(expect.any(String));
    expect((got['deal-scheduled'] as { requests: Array<{ status: string }> }).requests[0].status).toBe('scheduled');
    if (process.env.UPDATE_LWC_FIXTURES === '1') {
      for (const [name, body] of Object.entries(got)) writeFileSync(join(FIXTURES, `${name}.json`), `${JSON.stringify(body, null, 2)}\n`);
    }
    for (const [name, body] of Object.entries(got)) {
      const file = join(FIXTURES, `${name}.json`);
      expect({ name, exists: existsSync(file) }).toEqual({ name, exists: true });
      const fixture = JSON.parse(readFileSync(file, 'utf8'));
      expect({ name, shape: shapeOf(fixture) }).toEqual({ name, shape: shapeOf(body) });
    }
  });

  it('when an answer changes shape, then the comparison sees it', () => {
    const view = { account: { name: 'Acme', healthScore: 80 }, asks: [{ askId: 'a', contactName: null }, { askId: 'b', contactName: 'Dana' }] };
    expect(shapeOf(view)).toEqual(shapeOf(JSON.parse(JSON.stringify(view))));
    expect(shapeOf({ ...view, account: { name: 'Acme', health: 80 } })).not.toEqual(shapeOf(view));
    expect(shapeOf({ ...view, account: { name: 'Acme', healthScore: '80' } })).not.toEqual(shapeOf(view));
    expect(shapeOf({ ...view, asks: [{ askId: 'a' }] })).not.toEqual(shapeOf(view));
  });
});
