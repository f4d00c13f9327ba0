import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import request from 'supertest';
import { parseStringPromise } from 'xml2js';
import { defaultFieldMap } from '../../../backend/src/crm/salesforce/field-map';
import { loadObjectDefinition } from '../../../objects/object-definition';
import { grantableFields, INTEGRATION_PERMISSION_SET, USER_PERMISSION_SET } from '../../../objects/salesforce-access';
import { CREDENTIAL, INVOCABLE_CLASS, ORG_KEY_HEADER_NAME, ORG_KEY_PARAMETER, PRINCIPAL, TOKEN_PARAMETER } from '../../../objects/salesforce-automation';
import { APEX_CLASSES, defaultPackageOptions, HAND_WRITTEN_DIR, LWC_BUNDLES, SF_API_VERSION, SF_OBJECT, salesforceMetadata, sfFieldName, UI_CONTROLLER_CLASS } from '../../../objects/salesforce-metadata';
import { SALESFORCE_LABELS } from '../../../objects/salesforce-labels';
import { parseApex } from '../../support/apex';
import { ComponentSet, MetadataConverter } from '../../support/salesforce-tools';

// The whole Salesforce package as Salesforce's own tools read it: converted to Metadata API
// format by @salesforce/source-deploy-retrieve (what `sf project deploy` runs first), every Apex
// class through @apexdevtools/apex-parser, and the Flow checked against the Apex it calls and
// the credentials that Apex calls through.

const SFDX = join(__dirname, '../../../objects/sfdx');
const SRC = 'force-app/main/default';
const def = loadObjectDefinition();
const generated = salesforceMetadata(def);
const xml = (path: string) => parseStringPromise(generated.get(path)!, { explicitArray: false });
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const apexSource = (name: string) => readFileSync(join(SFDX, HAND_WRITTEN_DIR, `${name}.cls`), 'utf8');

type PackageTypes = Record<string, string[]>;
async function manifestTypes(content: string): Promise<PackageTypes> {
  const pkg = (await parseStringPromise(content, { explicitArray: false })).Package;
  const out: PackageTypes = {};
  for (const t of list(pkg.types) as Array<{ name: string; members: string | string[] }>) out[t.name] = list(t.members).sort();
  return out;
}

describe('the Salesforce package converted by @salesforce/source-deploy-retrieve', () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'sfpkg-'));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('when the manifest is converted with no network, then every member it names is in the output at the explicit API version', async () => {
    // What `sf project deploy start --manifest manifest/package.xml` builds before deploying.
    const components = await ComponentSet.fromManifest({ manifestPath: join(SFDX, 'manifest/package.xml'), resolveSourcePaths: [join(SFDX, 'force-app')] });
    const result = await new MetadataConverter().convert(components, 'metadata', { type: 'directory', outputDirectory: out, genUniqueDir: false });
    expect(result.packagePath).toBe(out);

    const expected = await manifestTypes(readFileSync(join(SFDX, 'manifest/package.xml'), 'utf8'));
    const converted = await manifestTypes(readFileSync(join(out, 'package.xml'), 'utf8'));
    expect(converted).toEqual(expected);
    expect(Object.keys(expected).sort()).toEqual(['ApexClass', 'CustomField', 'CustomLabel', 'CustomObject', 'ExternalCredential', 'Flow', 'LightningComponentBundle', 'NamedCredential', 'PermissionSet', 'PlatformEventChannelMember']);
    expect(expected.LightningComponentBundle).toEqual(LWC_BUNDLES);
    expect(expected.CustomLabel).toEqual(Object.keys(SALESFORCE_LABELS).sort());
    expect(expected.PermissionSet).toEqual([INTEGRATION_PERMISSION_SET, USER_PERMISSION_SET]);
    expect(expected.PlatformEventChannelMember).toEqual(['ChangeEvents_AccountChangeEvent', 'ChangeEvents_ContactChangeEvent']);
    expect(expected.Flow).toEqual(['Advocacy_Account_Health_Changed', 'Advocacy_Contact_NPS_Changed']);
    expect(expected.ApexClass).toEqual([...APEX_CLASSES].sort());
    expect((await parseStringPromise(readFileSync(join(out, 'package.xml'), 'utf8'))).Package.version).toEqual([SF_API_VERSION]);

    // Metadata format on disk: one file per member in its Metadata API folder.
    expect(readdirSync(join(out, 'classes')).sort()).toEqual(APEX_CLASSES.flatMap((c) => [`${c}.cls`, `${c}.cls-meta.xml`]).sort());
    expect(readdirSync(join(out, 'flows')).sort()).toEqual(expected.Flow.map((f) => `${f}.flow`));
    expect(readdirSync(join(out, 'permissionsets')).sort()).toEqual(expected.PermissionSet.map((p) => `${p}.permissionset`));
    expect(readdirSync(join(out, 'namedCredentials'))).toEqual([`${CREDENTIAL}.namedCredential`]);
    expect(readdirSync(join(out, 'externalCredentials'))).toEqual([`${CREDENTIAL}.externalCredential`]);
    expect(readdirSync(join(out, 'platformEventChannelMembers')).sort()).toEqual(['ChangeEvents_AccountChangeEvent.platformEventChannelMember', 'ChangeEvents_ContactChangeEvent.platformEventChannelMember']);
    expect(readdirSync(join(out, 'lwc')).sort()).toEqual(LWC_BUNDLES);
    expect(readdirSync(join(out, 'lwc', 'advocacyAccountReadiness')).sort()).toEqual(['advocacyAccountReadiness.html', 'advocacyAccountReadiness.js', 'advocacyAccountReadiness.js-meta.xml']);
    const labels = await parseStringPromise(readFileSync(join(out, 'labels', 'CustomLabels.labels'), 'utf8'));
    expect(list(labels.CustomLabels.labels).map((l: { fullName: string[] }) => l.fullName[0]).sort()).toEqual(Object.keys(SALESFORCE_LABELS).sort());
    const object = await parseStringPromise(readFileSync(join(out, 'objects', `${SF_OBJECT}.object`), 'utf8'));
    expect(list(object.CustomObject.fields).length).toBe(expected.CustomField.filter((f) => f.startsWith(`${SF_OBJECT}.`)).length);
    const account = await parseStringPromise(readFileSync(join(out, 'objects', 'Account.object'), 'utf8'));
    expect(list(account.CustomObject.fields).length).toBe(expected.CustomField.filter((f) => f.startsWith('Account.')).length);
  });

  it('when the source folder is read whole, then it holds exactly the members the manifest names (nothing left out of a deploy)', async () => {
    const fromSource = ComponentSet.fromSource(join(SFDX, 'force-app'));
    const members = (set: ComponentSet) => set.toArray().map((c) => `${c.type.name}:${c.fullName}`).sort();
    const fromManifest = await ComponentSet.fromManifest({ manifestPath: join(SFDX, 'manifest/package.xml'), resolveSourcePaths: [join(SFDX, 'force-app')], forceAddWildcards: false });
    const sourceComponents = fromSource.getSourceComponents().toArray();
    // CustomLabels is the file that holds the labels: the manifest names each CustomLabel in it.
    const withChildren = [...sourceComponents, ...sourceComponents.flatMap((c) => c.getChildren())].map((c) => `${c.type.name}:${c.fullName}`).filter((m) => m !== 'CustomLabels:CustomLabels').sort();
    expect(sourceComponents.filter((c) => c.type.name === 'CustomLabels').map((c) => c.fullName)).toEqual(['CustomLabels']);
    const expected = await manifestTypes(readFileSync(join(SFDX, 'manifest/package.xml'), 'utf8'));
    const named = Object.entries(expected).flatMap(([type, m]) => m.map((x) => `${type}:${x}`)).sort();
    expect(withChildren).toEqual(named);
    expect(members(fromManifest)).toEqual(named);
  });
});

describe('the Apex in the package, parsed by @apexdevtools/apex-parser', () => {
  it('when a class has a syntax error, then the parser reports it (so the next check can fail)', () => {
    const broken = parseApex('public class Broken {\n    public static void run() {\n        Integer x = ;\n    }\n');
    expect(broken.errors.length).toBeGreaterThan(0);
    expect(broken.errors[0]).toMatch(/^3:/);
    expect(parseApex("public class BadString { String s = 'unterminated; }").errors.length).toBeGreaterThan(0);
  });

  it('when every class in the package is parsed, then none has a syntax error and each declares the class its file names', () => {
    const files = readdirSync(join(SFDX, HAND_WRITTEN_DIR));
    expect(files.sort()).toEqual(APEX_CLASSES.flatMap((c) => [`${c}.cls`, `${c}.cls-meta.xml`]).sort());
    for (const name of APEX_CLASSES) {
      const parsed = parseApex(apexSource(name));
      expect({ name, errors: parsed.errors }).toEqual({ name, errors: [] });
      expect(parsed.classNames[0]).toBe(name);
    }
  });

  it('when the class metadata is read, then each class is active at the package API version', async () => {
    for (const name of APEX_CLASSES) {
      const meta = await parseStringPromise(readFileSync(join(SFDX, HAND_WRITTEN_DIR, `${name}.cls-meta.xml`), 'utf8'), { explicitArray: false });
      expect(meta.ApexClass).toMatchObject({ apiVersion: SF_API_VERSION, status: 'Active' });
    }
  });

  it('when the test class is read, then it fakes the backend with HttpCalloutMock and covers success, batching and refusal', () => {
    const source = apexSource(`${INVOCABLE_CLASS}Test`);
    const parsed = parseApex(source);
    expect(source).toMatch(/@IsTest\s+private class/);
    expect(source).toMatch(/implements HttpCalloutMock/);
    expect(source).toMatch(/Test\.setMock\(HttpCalloutMock\.class/);
    const tests = parsed.members.filter((m) => m.kind === 'method' && m.annotations.some((a) => a.name === 'IsTest')).map((m) => m.name);
    expect(tests.length).toBeGreaterThanOrEqual(4);
    for (const t of tests) expect(t).toMatch(/^when.+_then.+/);
  });
});

describe('the Flows, the invocable they call and the credentials it calls through', () => {
  const flowPath = (name: string) => `${SRC}/flows/${name}.flow-meta.xml`;
  const invocable = parseApex(apexSource(INVOCABLE_CLASS));

  it('when the Account flow is read, then it runs after an Account update that changes the mapped health field, on the asynchronous path', async () => {
    const flow = (await xml(flowPath('Advocacy_Account_Health_Changed'))).Flow;
    expect(flow).toMatchObject({ apiVersion: SF_API_VERSION, processType: 'AutoLaunchedFlow', status: 'Active' });
    expect(flow.start).toMatchObject({ object: 'Account', recordTriggerType: 'Update', triggerType: 'RecordAfterSave' });
    expect(flow.start.filters).toEqual({ field: defaultFieldMap().account.healthScore, operator: 'IsChanged', value: { booleanValue: 'true' } });
    // Callouts are refused inside the saving transaction: the action hangs off the async path only.
    expect(flow.start.connector).toBeUndefined();
    expect(flow.start.scheduledPaths).toEqual({ connector: { targetReference: flow.actionCalls.name }, pathType: 'AsyncAfterCommit' });
    const inputs = Object.fromEntries(list(flow.actionCalls.inputParameters).map((p: { name: string; value: { elementReference: string } }) => [p.name, p.value.elementReference]));
    expect(inputs).toEqual({ accountId: '$Record.Id', eventId: '$Flow.InterviewGuid' });
  });

  it('when the Contact flow is read, then an NPS change on a contact with an account notifies that account', async () => {
    const flow = (await xml(flowPath('Advocacy_Contact_NPS_Changed'))).Flow;
    expect(flow.start).toMatchObject({ object: 'Contact', recordTriggerType: 'Update', triggerType: 'RecordAfterSave', filterLogic: 'and' });
    expect(list(flow.start.filters)).toEqual([
      { field: defaultFieldMap().contact.npsScore, operator: 'IsChanged', value: { booleanValue: 'true' } },
      { field: 'AccountId', operator: 'IsNull', value: { booleanValue: 'false' } },
    ]);
    expect(flow.start.scheduledPaths.pathType).toBe('AsyncAfterCommit');
    const inputs = Object.fromEntries(list(flow.actionCalls.inputParameters).map((p: { name: string; value: { elementReference: string } }) => [p.name, p.value.elementReference]));
    expect(inputs).toEqual({ accountId: '$Record.AccountId', eventId: '$Flow.InterviewGuid' });
  });

  it('when a flow calls its action, then it is the Apex @InvocableMethod (declared for callouts) with exactly the variables the flow passes', async () => {
    for (const name of ['Advocacy_Account_Health_Changed', 'Advocacy_Contact_NPS_Changed']) {
      const action = (await xml(flowPath(name))).Flow.actionCalls;
      expect(action).toMatchObject({ actionType: 'apex', actionName: INVOCABLE_CLASS });
      const methods = invocable.members.filter((m) => m.className === action.actionName && m.annotations.some((a) => a.name === 'InvocableMethod'));
      expect(methods).toHaveLength(1);
      expect(methods[0].annotations.find((a) => a.name === 'InvocableMethod')!.values.callout).toBe('true');
      const variables = invocable.members.filter((m) => m.kind === 'field' && m.annotations.some((a) => a.name === 'InvocableVariable'));
      expect(variables.map((v) => v.name).sort()).toEqual(list(action.inputParameters).map((p: { name: string }) => p.name).sort());
      for (const v of variables) expect(v.annotations.find((a) => a.name === 'InvocableVariable')!.values.required).toBe('true');
    }
  });

  it('when the invocable calls out, then it goes through the package Named Credential to the backend route, with the body the route takes and no secret', async () => {
    const source = apexSource(INVOCABLE_CLASS);
    const endpoint = source.match(/'callout:([A-Za-z_]+)(\/[^']*)'/);
    expect(endpoint).not.toBeNull();
    expect(endpoint![1]).toBe(CREDENTIAL);
    expect(endpoint![2]).toBe('/salesforce/v1/flow/account-changed');
    expect([...source.matchAll(/'(\w+)' =>/g)].map((m) => m[1]).sort()).toEqual(['accountIds', 'eventId', 'orgId']);
    expect(source).not.toMatch(/'Bearer|setHeader\('Authorization'/);

    const nc = (await xml(`${SRC}/namedCredentials/${CREDENTIAL}.namedCredential-meta.xml`)).NamedCredential;
    expect(nc.namedCredentialType).toBe('SecuredEndpoint');
    const params = list(nc.namedCredentialParameters) as Array<Record<string, string>>;
    expect(params.find((p) => p.parameterType === 'Url')!.parameterValue).toBe(defaultPackageOptions().backendUrl);
    expect(params.find((p) => p.parameterType === 'Authentication')!.externalCredential).toBe(CREDENTIAL);
  });

  it('when the External Credential is read, then it sends the bearer header from a principal parameter the admin fills, and holds no value of its own', async () => {
    const ec = (await xml(`${SRC}/externalCredentials/${CREDENTIAL}.externalCredential-meta.xml`)).ExternalCredential;
    expect(ec.authenticationProtocol).toBe('Custom');
    const params = list(ec.externalCredentialParameters) as Array<Record<string, string>>;
    expect(params.find((p) => p.parameterType === 'AuthHeader')).toMatchObject({ parameterName: 'Authorization', parameterValue: `{!'Bearer ' & $Credential.${CREDENTIAL}.${TOKEN_PARAMETER}}` });
    // The org key for the Lightning components' routes, in the header the backend's guard reads.
    const { ORG_KEY_HEADER } = await import('../../../backend/src/http/salesforce-org-auth');
    const orgKey = params.find((p) => p.parameterType === 'AuthHeader' && p.parameterName.toLowerCase() === ORG_KEY_HEADER);
    expect(orgKey).toMatchObject({ parameterName: ORG_KEY_HEADER_NAME, parameterValue: `{!$Credential.${CREDENTIAL}.${ORG_KEY_PARAMETER}}` });
    expect(params.find((p) => p.parameterType === 'NamedPrincipal')).toMatchObject({ parameterName: PRINCIPAL, parameterGroup: PRINCIPAL });
    // The token is never in the package: no AuthParameter carries a value.
    expect(params.filter((p) => p.parameterType === 'AuthParameter')).toEqual([]);
    expect(generated.get(`${SRC}/externalCredentials/${CREDENTIAL}.externalCredential-meta.xml`)).not.toMatch(/SALESFORCE_FLOW_SECRET<|secret-value/);
  });

  it('when the route receives the body the Apex builds (18-character ids, an interview guid), then it accepts it', async () => {
    const { createApp } = await import('../../../backend/src/http/create-app');
    const { salesforceRoutes } = await import('../../../backend/src/http/routes/salesforce-routes');
    const { testContext } = await import('../../support/context');
    const { openTestDb } = await import('../../support/store');
    const db = await openTestDb('pglite');
    try {
      const ctx = await testContext(db);
      const app = createApp({ ctx, extraRouters: [{ path: '/salesforce/v1', router: salesforceRoutes({ ctx, flowSecret: 'flow-secret', orgId: '00D000000000001' }) }] });
      const body = { orgId: '00D000000000001AAA', eventId: '0Fo5g00000AbCdEfGhIjKlMnOpQrStUvW-1a2b', accountIds: ['001000000000001AAA'] };
      await request(app).post('/salesforce/v1/flow/account-changed').set('authorization', 'Bearer flow-secret').send(body).expect(200);
    } finally {
      await db.close();
    }
  });
});

describe('the permission sets', () => {
  const permissionSet = async (name: string) => (await xml(`${SRC}/permissionsets/${name}.permissionset-meta.xml`)).PermissionSet;
  const fieldAccess = (ps: { fieldPermissions: unknown }) => Object.fromEntries((list(ps.fieldPermissions) as Array<{ field: string; editable: string; readable: string }>).map((f) => [f.field, `${f.readable === 'true' ? 'r' : ''}${f.editable === 'true' ? 'w' : ''}`]));
  const objectAccess = (ps: { objectPermissions: unknown }) => Object.fromEntries((list(ps.objectPermissions) as Array<Record<string, string>>).map((o) => [o.object, o]));
  const { ask, account } = grantableFields(def, { object: SF_OBJECT, fieldName: sfFieldName });
  const requiredFields = [...def.fields.filter((f) => f.required).map((f) => `${SF_OBJECT}.${sfFieldName(f.name)}`), ...def.associations.filter((a) => a.salesforce.required).map((a) => `${SF_OBJECT}.${a.salesforce.field}__c`)];

  it('when the user set is read, then CSMs read and edit every optional ask field, read the Account advocacy fields, and may use the callout principal', async () => {
    const ps = await permissionSet(USER_PERMISSION_SET);
    expect(fieldAccess(ps)).toEqual(Object.fromEntries([...ask.map((f) => [f, 'rw']), ...account.map((f) => [f, 'r'])]));
    expect(objectAccess(ps)[SF_OBJECT]).toMatchObject({ allowRead: 'true', allowEdit: 'true', allowCreate: 'false', allowDelete: 'false', modifyAllRecords: 'false' });
    expect(objectAccess(ps).Account).toMatchObject({ allowRead: 'true', allowEdit: 'false' });
    expect(ps.externalCredentialPrincipalAccesses).toEqual({ enabled: 'true', externalCredentialPrincipal: `${CREDENTIAL}-${PRINCIPAL}` });
    // The Flow's invocable and the Lightning components' controller (components and labels take no permission of their own).
    expect(list(ps.classAccesses)).toEqual([{ apexClass: INVOCABLE_CLASS, enabled: 'true' }, { apexClass: UI_CONTROLLER_CLASS, enabled: 'true' }]);
  });

  it('when the integration set is read, then the backend writes asks and Account advocacy fields, sees every Account, Contact and Opportunity, and creates Tasks', async () => {
    const ps = await permissionSet(INTEGRATION_PERMISSION_SET);
    // Activity.Advocacy_Key__c: the create-once key the backend writes on each Task and finds it by.
    expect(fieldAccess(ps)).toEqual(Object.fromEntries([...ask, ...account, 'Activity.Advocacy_Key__c'].map((f) => [f, 'rw'])));
    const objects = objectAccess(ps);
    expect(objects[SF_OBJECT]).toMatchObject({ allowCreate: 'true', allowRead: 'true', allowEdit: 'true', allowDelete: 'false', viewAllRecords: 'true' });
    expect(objects.Account).toMatchObject({ allowRead: 'true', allowEdit: 'true', viewAllRecords: 'true', modifyAllRecords: 'false' });
    for (const o of ['Contact', 'Opportunity']) expect(objects[o]).toMatchObject({ allowRead: 'true', allowEdit: 'false', viewAllRecords: 'true' });
    expect((list(ps.userPermissions) as Array<{ name: string }>).map((u) => u.name).sort()).toEqual(['ApiEnabled', 'EditTask']);
    expect(ps.externalCredentialPrincipalAccesses).toBeUndefined();
  });

  it('when any set grants a field, then the field is in the package and not required (Salesforce refuses permissions on required fields)', async () => {
    const packaged = new Set([...generated.keys()].filter((p) => p.includes('/fields/')).map((p) => p.replace(/^.*objects\/([^/]+)\/fields\/(.+)\.field-meta\.xml$/, '$1.$2')));
    for (const name of [USER_PERMISSION_SET, INTEGRATION_PERMISSION_SET]) {
      for (const field of Object.keys(fieldAccess(await permissionSet(name)))) {
        expect(packaged.has(field)).toBe(true);
        expect(requiredFields).not.toContain(field);
      }
    }
    expect(requiredFields.length).toBeGreaterThan(0);
  });
});

describe('Change Data Capture', () => {
  it('when the channel member is read, then Account changes are published on ChangeEvents, the channel the adapter subscribes to', async () => {
    const { ACCOUNT_CHANNEL } = await import('../../../backend/src/crm/salesforce/change-events');
    const member = (await xml(`${SRC}/platformEventChannelMembers/ChangeEvents_AccountChangeEvent.platformEventChannelMember-meta.xml`)).PlatformEventChannelMember;
    expect(member).toMatchObject({ eventChannel: 'ChangeEvents', selectedEntity: 'AccountChangeEvent' });
    expect(ACCOUNT_CHANNEL).toBe(`/data/${member.selectedEntity}`);
  });

  it('when the Contact channel member is read, then Contact changes (and so deletions) are published on ChangeEvents, the channel the adapter erases from', async () => {
    const { CONTACT_CHANNEL } = await import('../../../backend/src/crm/salesforce/change-events');
    const member = (await xml(`${SRC}/platformEventChannelMembers/ChangeEvents_ContactChangeEvent.platformEventChannelMember-meta.xml`)).PlatformEventChannelMember;
    expect(member).toMatchObject({ eventChannel: 'ChangeEvents', selectedEntity: 'ContactChangeEvent' });
    expect(CONTACT_CHANNEL).toBe(`/data/${member.selectedEntity}`);
  });
});
