import { defaultHubSpotFieldMap } from '../../../backend/src/crm/hubspot/field-map';
import { toAccountSignals as fromHubSpot } from '../../../backend/src/crm/hubspot/map-records';
import { defaultFieldMap } from '../../../backend/src/crm/salesforce/field-map';
import { toAccountSignals as fromSalesforce } from '../../../backend/src/crm/salesforce/map-account';

// HubSpot's enrichment writes "Executive", "Owner" or "Partner" into hs_seniority; a Salesforce
// org keeps the same words in its seniority picklist. Both adapters read them through the one
// domain rule, so the same person has the same seniority (and the same ladder) in either CRM.

const CASES: Array<[string | null, string | null]> = [
  ['Executive', 'Head of Marketing'],
  ['Owner', 'Managing Director'],
  ['partner', null],
  ['VP', 'Engineer'],
  [null, 'Chief Revenue Officer'],
  [null, 'Support Lead'],
  ['senior', 'Account Executive'],
];

function hubspotSeniority(value: string | null, title: string | null) {
  const contact = { id: '5000', properties: { firstname: 'Dana', lastname: 'Reyes', jobtitle: title, hs_seniority: value } };
  return fromHubSpot({ id: '1000', properties: { name: 'Acme' } }, [contact], new Map(), defaultHubSpotFieldMap()).contacts[0].seniority;
}

function salesforceSeniority(value: string | null, title: string | null) {
  const map = defaultFieldMap();
  map.contact.seniority = 'Seniority__c';
  const contact = { Id: '003000000000001', AccountId: '001000000000001', FirstName: 'Dana', LastName: 'Reyes', Title: title, Seniority__c: value };
  return fromSalesforce({ Id: '001000000000001', Name: 'Acme' }, [contact], map).contacts[0].seniority;
}

describe('seniority read from either CRM', () => {
  it('when HubSpot and Salesforce hold the same seniority value and title, then both adapters read the same seniority', () => {
    const hubspot = CASES.map(([v, t]) => hubspotSeniority(v, t));
    const salesforce = CASES.map(([v, t]) => salesforceSeniority(v, t));
    expect(hubspot).toEqual(['c_level', 'c_level', 'c_level', 'vp', 'c_level', 'manager', 'individual']);
    expect(salesforce).toEqual(hubspot);
  });
});
