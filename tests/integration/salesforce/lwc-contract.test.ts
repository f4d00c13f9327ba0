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
// through the org-key guard. When an answer no longer gives what a fixture holds (a field
// removed, renamed or of another type), this test fails until the fixtures are recorded again
// (UPDATE_LWC_FIXTURES=1), and then the component tests show what the components must change.
// A field the backend adds breaks nothing and fails nothing.
// The cards' own copy of the types is held to the same backend types by tests/cards/contract.test.ts.

const FIXTURES = join(__dirname, '../../lwc/fixtures');
const ORG = '00D5g000004LWCAEAA';
const PORTAL = 'salesforce:00D5g000004LWCA';
const USER = '0055g00000CSMAAAA2';

/**
 * Where a fixture expects something the answer does not give: every key path of the fixture
 * (array elements merged) must be in the answer with the same JSON type, `null` matching any
 * type (a nullable field seen empty). Keys the answer adds are fine: no component reads them yet.
 */
export function missingFromAnswer(fixture: unknown, answer: unknown, path = '$'): string[] {
  if (fixture === null || answer === null) return [];
  const kind = (v: unknown) => (Array.isArray(v) ? 'array' : typeof v);
  if (kind(fixture) !== kind(answer)) return [`${path}: the components expect ${kind(fixture)}, the backend sends ${kind(answer)}`];
  if (Array.isArray(fixture)) {
    const answers = answer as unknown[];
    if (fixture.length > 0 && answers.length === 0) return [`${path}: the components expect items, the backend sends none`];
    return fixture.flatMap((item, i) => missingFromAnswer(item, answers[Math.min(i, answers.length - 1)], `${path}[${i}]`));
  }
  if (typeof fixture === 'object') {
    const a = answer as Record<string, unknown>;
    return Object.entries(fixture as Record<string, unknown>).flatMap(([k, v]) => (k in a ? missingFromAnswer(v, a[k], `${path}.${k}`) : [`${path}.${k}: the components expect it, the backend no longer sends it`]));
  }
  return [];
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
    const drift: string[] = [];
    for (const [name, body] of Object.entries(got)) {
      const file = join(FIXTURES, `${name}.json`);
      if (!existsSync(file)) {
        drift.push(`${name}.json: missing`);
        continue;
      }
      drift.push(...missingFromAnswer(JSON.parse(readFileSync(file, 'utf8')), body).map((d) => `${name}.json ${d}`));
    }
    if (drift.length) throw new Error(`The backend's answers no longer give what the Lightning components' fixtures hold:\n  ${drift.join('\n  ')}\nIf the change is meant: UPDATE_LWC_FIXTURES=1 (this test), then node tests/lwc/run.js shows which component must change.`);
  });

  it('when an answer drops, renames or retypes a field the fixtures hold, then the comparison names it; a field added or a null filled in is fine', () => {
    const fixture = { account: { name: 'Acme', healthScore: 80, ownerName: null }, asks: [{ askId: 'a', contactName: null }] };
    expect(missingFromAnswer(fixture, JSON.parse(JSON.stringify(fixture)))).toEqual([]);
    expect(missingFromAnswer(fixture, { ...fixture, account: { ...fixture.account, ownerName: 'Sam', csm: 'Sam' }, extra: 1 })).toEqual([]);
    expect(missingFromAnswer(fixture, { ...fixture, account: { name: 'Acme', health: 80, ownerName: null } })).toEqual(['$.account.healthScore: the components expect it, the backend no longer sends it']);
    expect(missingFromAnswer(fixture, { ...fixture, account: { ...fixture.account, healthScore: '80' } })).toEqual(['$.account.healthScore: the components expect number, the backend sends string']);
    expect(missingFromAnswer(fixture, { ...fixture, asks: [] })).toEqual(['$.asks: the components expect items, the backend sends none']);
    expect(missingFromAnswer(fixture, { ...fixture, asks: [{ askId: 'a' }] })).toEqual(['$.asks[0].contactName: the components expect it, the backend no longer sends it']);
  });
});
