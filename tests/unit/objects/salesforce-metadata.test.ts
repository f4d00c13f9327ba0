import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseStringPromise } from 'xml2js';
import { loadObjectDefinition } from '../../../objects/object-definition';
import { APEX_CLASSES, HAND_WRITTEN_DIR, LABELS_MODULE, LWC_BUNDLES, LWC_DIR, LWC_RECORD_COMPONENTS, SF_NS, salesforceMetadata, sfFieldName } from '../../../objects/salesforce-metadata';

const SFDX = join(__dirname, '../../../objects/sfdx');
const def = loadObjectDefinition();
const generated = salesforceMetadata(def);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [relative(SFDX, path)];
  });
}

// The root element each kind of file must have, by its SFDX suffix.
const ROOTS: Array<[RegExp, string]> = [
  [/manifest\/package\.xml$/, 'Package'],
  [/\.object-meta\.xml$/, 'CustomObject'],
  [/\.field-meta\.xml$/, 'CustomField'],
  [/\.permissionset-meta\.xml$/, 'PermissionSet'],
  [/\.platformEventChannelMember-meta\.xml$/, 'PlatformEventChannelMember'],
  [/\.externalCredential-meta\.xml$/, 'ExternalCredential'],
  [/\.namedCredential-meta\.xml$/, 'NamedCredential'],
  [/\.flow-meta\.xml$/, 'Flow'],
  [/\.labels-meta\.xml$/, 'CustomLabels'],
];
const rootFor = (path: string) => ROOTS.find(([re]) => re.test(path))?.[1] ?? `no root known for ${path}`;

const parse = (path: string) => parseStringPromise(generated.get(path)!, { explicitArray: false });
const fieldPath = (object: string, field: string) => `force-app/main/default/objects/${object}/fields/${field}.field-meta.xml`;

describe('Salesforce metadata generated from objects/advocacy-ask.json', () => {
  it('when the definition is generated, then objects/sfdx holds exactly those files, byte for byte, beside the hand-written Apex', () => {
    const onDisk = filesUnder(SFDX).sort();
    const handWritten = onDisk.filter((p) => (p.startsWith(`${HAND_WRITTEN_DIR}/`) || p.startsWith(`${LWC_DIR}/`)) && !generated.has(p));
    const bundleFiles = LWC_BUNDLES.flatMap((b) => [...(b in LWC_RECORD_COMPONENTS ? [`${b}.html`] : []), `${b}.js`, `${b}.js-meta.xml`].map((f) => `${LWC_DIR}/${b}/${f}`)).filter((p) => p !== LABELS_MODULE);
    expect(handWritten).toEqual([...APEX_CLASSES.flatMap((c) => [`${HAND_WRITTEN_DIR}/${c}.cls`, `${HAND_WRITTEN_DIR}/${c}.cls-meta.xml`]), ...bundleFiles].sort());
    expect([...generated.keys()].filter((p) => p.startsWith(`${HAND_WRITTEN_DIR}/`) || p.startsWith(`${LWC_DIR}/`))).toEqual([LABELS_MODULE]);
    expect(onDisk.filter((p) => !handWritten.includes(p))).toEqual([...generated.keys()].sort());
    for (const [path, content] of generated) expect(readFileSync(join(SFDX, path), 'utf8')).toBe(content);
  });

  it('when every file is parsed, then it is well-formed XML in the Metadata API namespace', async () => {
    const xml = [...generated].filter(([path]) => path.endsWith('.xml'));
    expect(xml).toHaveLength(generated.size - 2); // and sfdx-project.json, the labels module
    for (const [path, content] of xml) {
      const doc = await parseStringPromise(content);
      const [root] = Object.keys(doc);
      expect([path, root]).toEqual([path, rootFor(path)]);
      expect(doc[root].$.xmlns).toBe(SF_NS);
    }
  });

  it('when the object is read, then activities are enabled so Tasks can point at asks', async () => {
    const o = (await parse('force-app/main/default/objects/Advocacy_Ask__c/Advocacy_Ask__c.object-meta.xml')).CustomObject;
    expect(o).toMatchObject({ enableActivities: 'true', deploymentStatus: 'Deployed', label: 'Advocacy Ask', pluralLabel: 'Advocacy Asks', sharingModel: 'ReadWrite' });
    expect(o.nameField).toEqual({ label: 'Ask', type: 'Text' });
  });

  it('when the lookups are read, then Account (required), Contact and Opportunity are linked with relationship names', async () => {
    for (const [object, required, constraint] of [['Account', 'true', 'Restrict'], ['Contact', 'false', 'SetNull'], ['Opportunity', 'false', 'SetNull']]) {
      const f = (await parse(fieldPath('Advocacy_Ask__c', `${object}__c`))).CustomField;
      expect(f).toMatchObject({ fullName: `${object}__c`, type: 'Lookup', referenceTo: object, relationshipName: 'Advocacy_Asks', required, deleteConstraint: constraint });
    }
  });

  it('when the picklists are read, then their values are the definition\'s options, restricted', async () => {
    for (const f of def.fields.filter((x) => x.type === 'picklist')) {
      const field = (await parse(fieldPath('Advocacy_Ask__c', sfFieldName(f.name)))).CustomField;
      expect(field.type).toBe('Picklist');
      expect(field.valueSet.restricted).toBe('true');
      const values = [field.valueSet.valueSetDefinition.value].flat().map((v: { fullName: string }) => v.fullName);
      expect(values).toEqual(f.options);
    }
  });

  it('when the other field types are read, then each carries the elements its type needs', async () => {
    const askId = (await parse(fieldPath('Advocacy_Ask__c', 'Ask_Id__c'))).CustomField;
    expect(askId).toMatchObject({ type: 'Text', length: '64', externalId: 'true', unique: 'true', required: 'true' });
    expect((await parse(fieldPath('Advocacy_Ask__c', 'Outcome__c'))).CustomField).toMatchObject({ type: 'LongTextArea', length: '32000', visibleLines: '5' });
    expect((await parse(fieldPath('Advocacy_Ask__c', 'Readiness_Score__c'))).CustomField).toMatchObject({ type: 'Number', precision: '4', scale: '1' });
    expect((await parse(fieldPath('Advocacy_Ask__c', 'Consent_Date__c'))).CustomField).toMatchObject({ type: 'Date' });
  });

  it('when the Account write-back fields are read, then all four exist', async () => {
    for (const name of ['Advocacy_Readiness_Score__c', 'Advocacy_Readiness_Band__c', 'Advocacy_Status__c', 'Advocacy_Last_Ask_Date__c']) {
      expect((await parse(fieldPath('Account', name))).CustomField.fullName).toBe(name);
    }
  });

  it('when the manifest is read, then it lists the object and every generated field', async () => {
    const pkg = (await parse('manifest/package.xml')).Package;
    const types = [pkg.types].flat() as Array<{ name: string; members: string | string[] }>;
    const fields = [types.find((t) => t.name === 'CustomField')!.members].flat();
    const fieldFiles = [...generated.keys()].filter((p) => p.includes('/fields/')).map((p) => {
      const [, object, , file] = p.match(/objects\/([^/]+)\/(fields)\/(.+)\.field-meta\.xml$/)!.slice(0);
      return `${object}.${file}`;
    });
    expect(fields.sort()).toEqual(fieldFiles.sort());
    expect(types.find((t) => t.name === 'CustomObject')!.members).toBe('Advocacy_Ask__c');
    expect(pkg.version).toBe('62.0');
  });
});
