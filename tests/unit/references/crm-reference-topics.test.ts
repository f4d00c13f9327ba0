import { companyProperties, hubspotFieldMapSchema } from '../../../backend/src/crm/hubspot/field-map';
import { toAccountSignals as fromHubSpot } from '../../../backend/src/crm/hubspot/map-records';
import { salesforceFieldMapSchema } from '../../../backend/src/crm/salesforce/field-map';
import { toAccountSignals as fromSalesforce } from '../../../backend/src/crm/salesforce/map-account';
import { accountsSoql } from '../../../backend/src/crm/salesforce/soql';

// What an account can speak to as a reference comes from CRM fields named in the field map
// (none by default): multi-selects in HubSpot, multi-select picklists in Salesforce.

describe('reference topics from the CRMs', () => {
  it('when the HubSpot field map names the properties, then they are read and split into lists', () => {
    const map = hubspotFieldMapSchema.parse({ company: { useCases: 'reference_use_cases', competitorsReplaced: 'replaced_competitor', languages: 'reference_languages' } });
    expect(companyProperties(map)).toEqual(expect.arrayContaining(['reference_use_cases', 'replaced_competitor', 'reference_languages']));
    const signals = fromHubSpot({ id: '1', properties: { name: 'Acme', reference_use_cases: 'onboarding;expansion', replaced_competitor: 'Gainsight', reference_languages: '' } }, [], new Map(), map);
    expect([signals.account.useCases, signals.account.competitorsReplaced, signals.account.languages]).toEqual([['onboarding', 'expansion'], ['Gainsight'], []]);
  });

  it('when no property is named (the default), then nothing more is requested and the lists are empty', () => {
    const map = hubspotFieldMapSchema.parse({});
    expect(companyProperties(map)).not.toContain(null);
    expect(fromHubSpot({ id: '1', properties: { name: 'Acme' } }, [], new Map(), map).account.useCases).toEqual([]);
  });

  it('when the Salesforce field map names the picklists, then SOQL selects them and they become lists', () => {
    const map = salesforceFieldMapSchema.parse({ account: { useCases: 'Reference_Use_Cases__c', languages: 'Reference_Languages__c' } });
    expect(accountsSoql(map)).toMatch(/Reference_Use_Cases__c, Reference_Languages__c/);
    const signals = fromSalesforce({ attributes: { type: 'Account' }, Id: '001A', Name: 'Acme', OwnerId: '005A', Reference_Use_Cases__c: 'onboarding;churn prevention', Reference_Languages__c: 'German' } as never, [], map);
    expect([signals.account.useCases, signals.account.competitorsReplaced, signals.account.languages]).toEqual([['onboarding', 'churn prevention'], [], ['German']]);
  });
});
