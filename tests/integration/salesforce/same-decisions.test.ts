import { Connection } from 'jsforce';
import nock from 'nock';
import { LocalCrm } from '../../../backend/src/crm/local/local-crm';
import { SalesforceCrm } from '../../../backend/src/crm/salesforce/salesforce-crm';
import { defaultFieldMap } from '../../../backend/src/crm/salesforce/field-map';
import { generatePortfolio } from '../../../backend/src/demo/generate-portfolio';
import { applyDataset, type Dataset } from '../../../backend/src/import/dataset';
import { runScan, type ScanDecision } from '../../../backend/src/jobs/scan-portfolio';
import { createStore } from '../../../backend/src/store/pg-store';
import type { Db } from '../../../backend/src/store/db';
import { defaultCriteria, TODAY } from '../../support/builders';
import { openTestDb } from '../../support/store';

// One portfolio, loaded into the embedded store and served as a Salesforce org: the engine
// must decide exactly the same through either adapter. The fixture keeps to what an org
// holds (the latest NPS per contact, the current and one previous health reading).

const INSTANCE = 'https://acme.my.salesforce.com';
const API = '/services/data/v62.0';
const PAGE = 25;

function salesforceShaped(ds: Dataset): Dataset {
  const latestNps = new Map<string, (typeof ds.nps)[number]>();
  for (const r of ds.nps) if (!latestNps.get(r.contactId) || latestNps.get(r.contactId)!.date < r.date) latestNps.set(r.contactId, r);
  const health = new Map<string, typeof ds.health>();
  for (const p of ds.health) (health.get(p.accountId) ?? health.set(p.accountId, []).get(p.accountId)!).push(p);
  const lastTwo = [...health.values()].flatMap((points) => points.sort((a, b) => a.date.localeCompare(b.date)).slice(-2));
  // The org's current health is the last reading.
  const current = new Map(lastTwo.map((p) => [p.accountId, p.score]));
  return { ...ds, nps: [...latestNps.values()], health: lastTwo, accounts: ds.accounts.map((a) => ({ ...a, healthScore: current.get(a.accountId) ?? a.healthScore })) };
}

function asSalesforceRecords(ds: Dataset) {
  const owners = new Map(ds.owners.map((o) => [o.ownerId, o]));
  return [...ds.accounts]
    .sort((a, b) => a.accountId.localeCompare(b.accountId))
    .map((a) => {
      const points = ds.health.filter((p) => p.accountId === a.accountId).sort((x, y) => x.date.localeCompare(y.date));
      const prev = points.length === 2 ? points[0] : null;
      const contacts = ds.contacts.filter((c) => c.accountId === a.accountId).sort((x, y) => x.contactId.localeCompare(y.contactId));
      const owner = a.ownerId ? owners.get(a.ownerId) : undefined;
      return {
        attributes: { type: 'Account' },
        Id: a.accountId,
        Name: a.name,
        OwnerId: a.ownerId,
        Owner: owner ? { Name: owner.name, Email: owner.email } : null,
        Health_Score__c: a.healthScore,
        Previous_Health__c: prev?.score ?? null,
        Previous_Health_Date__c: prev?.date ?? null,
        Customer_Since__c: a.customerSince,
        Usage_Depth__c: a.usageDepth,
        CSAT__c: a.csat,
        Engagement__c: a.engagement,
        Strategic_Account__c: a.strategic,
        Open_Escalations__c: a.openEscalations,
        Renewal_Date__c: a.renewalDate,
        Industry: a.industry,
        Region__c: a.region,
        Size_Band__c: a.sizeBand,
        Products__c: a.products.join(';'),
        Contacts: contacts.length
          ? {
              totalSize: contacts.length,
              done: true,
              records: contacts.map((c) => {
                const nps = ds.nps.find((n) => n.contactId === c.contactId);
                return { attributes: { type: 'Contact' }, Id: c.contactId, AccountId: a.accountId, FirstName: c.firstName, LastName: c.lastName, Title: c.title, Seniority__c: c.seniority, HasOptedOutOfEmail: c.doNotContact, NPS_Score__c: nps?.score ?? null, NPS_Date__c: nps?.date ?? null };
              }),
            }
          : null,
      };
    });
}

describe('the same portfolio through the local and the Salesforce adapter', () => {
  let db: Db;
  beforeAll(() => nock.disableNetConnect());
  afterEach(async () => {
    nock.cleanAll();
    await db?.close();
  });
  afterAll(() => nock.enableNetConnect());

  it('when both are scanned for the same date, then every decision, reason, readiness and ask type is identical', async () => {
    const ds = salesforceShaped(generatePortfolio({ seed: 11, accounts: 80, asOf: TODAY }));
    db = await openTestDb('pglite');
    await db.transaction((tx) => applyDataset(tx, 'org', ds));

    const records = asSalesforceRecords(ds);
    const pages = Math.ceil(records.length / PAGE);
    for (let p = 0; p < pages; p++) {
      const body = { totalSize: records.length, done: p === pages - 1, nextRecordsUrl: p === pages - 1 ? undefined : `${API}/query/01g-${p + 1}`, records: records.slice(p * PAGE, (p + 1) * PAGE) };
      if (p === 0) nock(INSTANCE).get(`${API}/query`).query(true).reply(200, body);
      else nock(INSTANCE).get(`${API}/query/01g-${p}`).reply(200, body);
    }
    const map = defaultFieldMap();
    Object.assign(map.account, {
      previousHealthScore: 'Previous_Health__c', previousHealthDate: 'Previous_Health_Date__c', usageDepth: 'Usage_Depth__c', csat: 'CSAT__c', engagement: 'Engagement__c',
      openEscalations: 'Open_Escalations__c', renewalDate: 'Renewal_Date__c', region: 'Region__c', sizeBand: 'Size_Band__c', products: 'Products__c',
    });
    map.contact.seniority = 'Seniority__c';
    const salesforce = new SalesforceCrm(new Connection({ instanceUrl: INSTANCE, accessToken: 't', version: '62.0' }), { fieldMap: map });

    const criteria = defaultCriteria();
    const now = () => new Date(`${TODAY}T09:00:00.000Z`);
    const collect = async (crm: LocalCrm | SalesforceCrm) => {
      const out: ScanDecision['evaluation'][] = [];
      await runScan({ store: createStore(db), crm, criteria, portalId: 'org', now }, { asOf: TODAY, dryRun: true, pageSize: PAGE, onDecision: (d) => void out.push(d.evaluation) });
      return out;
    };
    const local = await collect(new LocalCrm(db, 'org'));
    const viaSalesforce = await collect(salesforce);

    expect(viaSalesforce).toHaveLength(80);
    expect(viaSalesforce).toEqual(local);
    expect(new Set(local.map((e) => e.decision))).toEqual(new Set(['propose', 'handoff', 'not_ready']));
    expect(salesforce.calls).toBe(pages);
  });
});
