import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseStringPromise } from 'xml2js';
import { generateObjects, optionsFromArgs, SFDX_DIR } from '../../../scripts/generate-objects';
import { defaultPackageOptions, HAND_WRITTEN_DIR, LWC_BUNDLES, LWC_DIR, salesforceMetadata } from '../../../objects/salesforce-metadata';
import { loadObjectDefinition } from '../../../objects/object-definition';
import { useTempDirs } from '../../support/temp-dirs';

// An org whose health and NPS fields have other names generates its own copy of the package.

const tempDir = useTempDirs('sfpkg-gen-');
const flowFile = (dir: string, name: string) => join(dir, 'force-app/main/default/flows', `${name}.flow-meta.xml`);

describe('npm run generate:objects for another org', () => {
  it('when a field map and backend URL are given, then the Flows watch those fields, the Named Credential points there, and the Apex comes along', async () => {
    const dir = tempDir();
    const map = join(dir, 'map.json');
    writeFileSync(map, JSON.stringify({ account: { healthScore: 'CS_Health__c' }, contact: { npsScore: 'Survey_NPS__c' } }));
    const { out, options } = optionsFromArgs(['--field-map', map, '--backend-url', 'https://advocacy.acme.test/base', '--out', join(dir, 'sfdx')]);
    generateObjects(out, options);

    const account = (await parseStringPromise(readFileSync(flowFile(out, 'Advocacy_Account_Health_Changed'), 'utf8'), { explicitArray: false })).Flow;
    expect(account.start.filters.field).toBe('CS_Health__c');
    const contact = (await parseStringPromise(readFileSync(flowFile(out, 'Advocacy_Contact_NPS_Changed'), 'utf8'), { explicitArray: false })).Flow;
    expect(contact.start.filters[0].field).toBe('Survey_NPS__c');
    expect(readFileSync(join(out, 'force-app/main/default/namedCredentials/Advocacy_Loop.namedCredential-meta.xml'), 'utf8')).toContain('<parameterValue>https://advocacy.acme.test</parameterValue>');
    expect(readdirSync(join(out, HAND_WRITTEN_DIR)).sort()).toEqual(readdirSync(join(SFDX_DIR, HAND_WRITTEN_DIR)).sort());
    for (const f of readdirSync(join(SFDX_DIR, HAND_WRITTEN_DIR))) expect(readFileSync(join(out, HAND_WRITTEN_DIR, f), 'utf8')).toBe(readFileSync(join(SFDX_DIR, HAND_WRITTEN_DIR, f), 'utf8'));
    // The Lightning components come along too, each file as it is.
    expect(readdirSync(join(out, LWC_DIR)).sort()).toEqual(LWC_BUNDLES);
    for (const b of LWC_BUNDLES) for (const f of readdirSync(join(SFDX_DIR, LWC_DIR, b))) expect(readFileSync(join(out, LWC_DIR, b, f), 'utf8')).toBe(readFileSync(join(SFDX_DIR, LWC_DIR, b, f), 'utf8'));
  });

  it('when the org has no health field, then there is no Account flow and the manifest does not name one', () => {
    const files = salesforceMetadata(loadObjectDefinition(), { ...defaultPackageOptions(), triggerFields: { accountHealth: null, contactNps: 'NPS_Score__c' } });
    expect([...files.keys()].filter((p) => p.includes('/flows/'))).toEqual(['force-app/main/default/flows/Advocacy_Contact_NPS_Changed.flow-meta.xml']);
    expect(files.get('manifest/package.xml')).not.toContain('Advocacy_Account_Health_Changed');
  });

  it('when a trigger field is on a related record or the URL is not https, then generation stops naming what is wrong', () => {
    const def = loadObjectDefinition();
    expect(() => salesforceMetadata(def, { ...defaultPackageOptions(), triggerFields: { accountHealth: 'Health__r.Score__c', contactNps: null } })).toThrow('accountHealth is Health__r.Score__c');
    expect(() => salesforceMetadata(def, { ...defaultPackageOptions(), backendUrl: 'http://advocacy.acme.test' })).toThrow('must be https');
  });

  it('when the field map file is invalid, then the error names the field', () => {
    const dir = tempDir();
    const map = join(dir, 'map.json');
    writeFileSync(map, JSON.stringify({ account: { healthScore: 'not a field!' } }));
    expect(() => optionsFromArgs(['--field-map', map])).toThrow(/account\.healthScore: must be a Salesforce field API name/);
    expect(() => optionsFromArgs(['--no-such-flag'])).toThrow();
  });

  it('when no options are given, then it writes the checked-in package (the defaults)', () => {
    const { out, options } = optionsFromArgs([]);
    expect(out).toBe(SFDX_DIR);
    expect(options).toEqual(defaultPackageOptions());
  });
});
