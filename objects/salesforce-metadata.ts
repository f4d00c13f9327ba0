import { defaultFieldMap, type SalesforceFieldMap } from '../backend/src/crm/salesforce/field-map';
import type { FieldDef, ObjectDef } from './object-definition';
import { permissionSets } from './salesforce-access';
import { CDC_MEMBER, CONTACT_CDC_MEMBER, CREDENTIAL, INVOCABLE_CLASS, PLACEHOLDER_BACKEND_URL, PRINCIPAL, changeDataCapture, externalCredential, flows, namedCredential, type TriggerFields } from './salesforce-automation';
import { customLabels, labelsModule, SALESFORCE_LABELS } from './salesforce-labels';
import { doc, type Node } from './salesforce-xml';

export { SF_NS } from './salesforce-xml';

// The Salesforce package in SFDX source format, generated from the object definition:
// Advocacy_Ask__c (activities enabled, so Tasks can point at it) with lookups to Account,
// Contact and Opportunity, the fields the app writes back on Account, the permission sets
// (salesforce-access.ts), CDC, credentials and Flows (salesforce-automation.ts), and a manifest
// naming every member with an explicit API version (so converting never asks Salesforce which
// version is current). Pure: returns file path -> content; scripts/generate-objects.ts writes
// them, a test checks for drift.

export const SF_API_VERSION = '62.0';
export const SF_OBJECT = 'Advocacy_Ask__c';
const ROOT = 'force-app/main/default/objects';

/**
 * The idempotency key on every Task the app creates (Task and Event custom fields live on
 * Activity). An external id, so it is indexed: after a crash the adapter finds the Task an
 * earlier attempt made by querying this field, and creates only what is not there. Not unique
 * (Salesforce allows no unique activity field); the claim in the app's store keeps it single.
 */
export const TASK_KEY_FIELD: FieldDef = { name: 'advocacy_key', label: 'Advocacy Loop Key', type: 'text', length: 255, externalId: true };
export const TASK_KEY_API_NAME = 'Advocacy_Key__c';

export const sfFieldName = (name: string) => `${name.split('_').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('_')}__c`;

function picklist(options: string[]): Node {
  return [
    'valueSet',
    [
      ['restricted', 'true'],
      ['valueSetDefinition', [['sorted', 'false'], ...options.map((o): Node => ['value', [['fullName', o], ['default', 'false'], ['label', o]]])]],
    ],
  ];
}

function fieldNodes(f: FieldDef): Node[] {
  const nodes: Node[] = [['fullName', sfFieldName(f.name)]];
  if (f.externalId) nodes.push(['externalId', 'true']);
  nodes.push(['label', f.label]);
  switch (f.type) {
    case 'text':
      nodes.push(['length', String(f.length ?? 255)], ['required', String(!!f.required)], ['type', 'Text']);
      if (f.unique) nodes.push(['unique', 'true'], ['caseSensitive', 'false']);
      break;
    case 'longtext':
      nodes.push(['length', String(f.length ?? 32000)], ['type', 'LongTextArea'], ['visibleLines', '5']);
      break;
    case 'picklist':
      nodes.push(['required', String(!!f.required)], ['type', 'Picklist'], picklist(f.options ?? []));
      break;
    case 'date':
      nodes.push(['required', String(!!f.required)], ['type', 'Date']);
      break;
    case 'number':
      nodes.push(['precision', String(f.precision ?? 18)], ['required', String(!!f.required)], ['scale', String(f.scale ?? 0)], ['type', 'Number']);
      break;
  }
  // Salesforce writes fullName first, then the rest alphabetically; so do we (diffs stay clean).
  const [first, ...rest] = nodes;
  return [first, ...rest.sort(([a], [b]) => a.localeCompare(b))];
}

function objectNodes(def: ObjectDef): Node[] {
  const primary = def.fields.find((f) => f.name === def.primaryField)!;
  return [
    ['deploymentStatus', 'Deployed'],
    ['description', def.description],
    ['enableActivities', 'true'],
    ['enableHistory', 'true'],
    ['enableReports', 'true'],
    ['enableSearch', 'true'],
    ['label', def.label],
    ['nameField', [['label', primary.label], ['type', 'Text']]],
    ['pluralLabel', def.pluralLabel],
    ['sharingModel', 'ReadWrite'],
  ];
}

function lookupNodes(a: ObjectDef['associations'][number], def: ObjectDef): Node[] {
  return [
    ['fullName', `${a.salesforce.field}__c`],
    // A required lookup must restrict deletion; an optional one is cleared.
    ['deleteConstraint', a.salesforce.required ? 'Restrict' : 'SetNull'],
    ['label', a.salesforce.object],
    ['referenceTo', a.salesforce.object],
    ['relationshipLabel', def.pluralLabel],
    ['relationshipName', a.salesforce.relationshipName],
    ['required', String(!!a.salesforce.required)],
    ['type', 'Lookup'],
  ];
}

type Meta = { [key: string]: string | Meta | Array<string | Meta> };

function toMeta(nodes: Node[]): Meta {
  const out: Meta = {};
  for (const [tag, value] of nodes) {
    const v = typeof value === 'string' ? value : toMeta(value);
    const prev = out[tag];
    out[tag] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** The same metadata as Metadata API objects, for deploying through conn.metadata.upsert. */
export function salesforceMetadataComponents(def: ObjectDef): { customObject: Meta; customFields: Meta[] } {
  const fields: Meta[] = [];
  for (const f of def.fields) if (f.name !== def.primaryField) fields.push({ ...toMeta(fieldNodes(f)), fullName: `${SF_OBJECT}.${sfFieldName(f.name)}` });
  for (const a of def.associations) fields.push({ ...toMeta(lookupNodes(a, def)), fullName: `${SF_OBJECT}.${a.salesforce.field}__c` });
  for (const f of def.writeBackFields.fields) fields.push({ ...toMeta(fieldNodes(f)), fullName: `Account.${sfFieldName(f.name)}` });
  fields.push({ ...toMeta(fieldNodes(TASK_KEY_FIELD)), fullName: `Activity.${TASK_KEY_API_NAME}` });
  return { customObject: { fullName: SF_OBJECT, ...toMeta(objectNodes(def)) }, customFields: fields };
}

export interface SalesforcePackageOptions {
  /** The fields whose change starts a Flow (from the field map; null = no such Flow). */
  triggerFields: TriggerFields;
  /** Where the backend is served (the Named Credential's URL; the admin can edit it after deploying). */
  backendUrl: string;
}

export const defaultPackageOptions = (map: SalesforceFieldMap = defaultFieldMap()): SalesforcePackageOptions => ({
  triggerFields: { accountHealth: map.account.healthScore, contactNps: map.contact.npsScore },
  backendUrl: PLACEHOLDER_BACKEND_URL,
});

/**
 * Hand-written Apex (clearer as Apex than generated): the invocable the Flows call and its test.
 * They live in objects/sfdx/force-app/main/default/classes/, which generation leaves alone; the
 * manifest and the permission sets name them from here, and a test checks the folder matches.
 */
export const UI_CONTROLLER_CLASS = 'AdvocacyUiController';
export const APEX_CLASSES = [INVOCABLE_CLASS, `${INVOCABLE_CLASS}Test`, UI_CONTROLLER_CLASS, `${UI_CONTROLLER_CLASS}Test`];
export const HAND_WRITTEN_DIR = 'force-app/main/default/classes';

/**
 * The Lightning Web Components (hand-written in force-app/main/default/lwc/, kept by
 * generation like the Apex): three for record pages, two shared modules. advocacyLabels.js is
 * the one generated file among them (from salesforce-labels.ts).
 */
export const LWC_DIR = 'force-app/main/default/lwc';
export const LWC_RECORD_COMPONENTS = { advocacyAccountReadiness: 'Account', advocacyContactProfile: 'Contact', advocacyOpportunityReference: 'Opportunity' } as const;
export const LWC_BUNDLES = [...Object.keys(LWC_RECORD_COMPONENTS), 'advocacyApi', 'advocacyLabels'].sort();
export const LABELS_MODULE = `${LWC_DIR}/advocacyLabels/advocacyLabels.js`;
/** Hand-written folders generation keeps (copied when writing elsewhere). */
export const HAND_WRITTEN_DIRS = [HAND_WRITTEN_DIR, LWC_DIR];

const SRC = 'force-app/main/default';

/** The whole package: every generated file (path -> content) and the manifest listing every member. */
export function salesforceMetadata(def: ObjectDef, options: SalesforcePackageOptions = defaultPackageOptions()): Map<string, string> {
  const files = new Map<string, string>();
  const members: Record<string, string[]> = { ApexClass: [...APEX_CLASSES], CustomField: [], CustomObject: [SF_OBJECT] };
  const add = (type: string, member: string, path: string, content: string) => {
    (members[type] ??= []).push(member);
    files.set(path, content);
  };
  files.set(`${ROOT}/${SF_OBJECT}/${SF_OBJECT}.object-meta.xml`, doc('CustomObject', objectNodes(def)));
  for (const f of def.fields) {
    if (f.name === def.primaryField) continue;
    add('CustomField', `${SF_OBJECT}.${sfFieldName(f.name)}`, `${ROOT}/${SF_OBJECT}/fields/${sfFieldName(f.name)}.field-meta.xml`, doc('CustomField', fieldNodes(f)));
  }
  for (const a of def.associations) {
    const name = `${a.salesforce.field}__c`;
    add('CustomField', `${SF_OBJECT}.${name}`, `${ROOT}/${SF_OBJECT}/fields/${name}.field-meta.xml`, doc('CustomField', lookupNodes(a, def)));
  }
  for (const f of def.writeBackFields.fields) {
    add('CustomField', `Account.${sfFieldName(f.name)}`, `${ROOT}/Account/fields/${sfFieldName(f.name)}.field-meta.xml`, doc('CustomField', fieldNodes(f)));
  }
  add('CustomField', `Activity.${TASK_KEY_API_NAME}`, `${ROOT}/Activity/fields/${TASK_KEY_API_NAME}.field-meta.xml`, doc('CustomField', fieldNodes(TASK_KEY_FIELD)));
  for (const [name, xml] of permissionSets(def, { object: SF_OBJECT, fieldName: sfFieldName, apexClasses: [INVOCABLE_CLASS, UI_CONTROLLER_CLASS], principal: `${CREDENTIAL}-${PRINCIPAL}` })) {
    add('PermissionSet', name, `${SRC}/permissionsets/${name}.permissionset-meta.xml`, xml);
  }
  add('PlatformEventChannelMember', CDC_MEMBER, `${SRC}/platformEventChannelMembers/${CDC_MEMBER}.platformEventChannelMember-meta.xml`, changeDataCapture('AccountChangeEvent'));
  add('PlatformEventChannelMember', CONTACT_CDC_MEMBER, `${SRC}/platformEventChannelMembers/${CONTACT_CDC_MEMBER}.platformEventChannelMember-meta.xml`, changeDataCapture('ContactChangeEvent'));
  add('ExternalCredential', CREDENTIAL, `${SRC}/externalCredentials/${CREDENTIAL}.externalCredential-meta.xml`, externalCredential());
  add('NamedCredential', CREDENTIAL, `${SRC}/namedCredentials/${CREDENTIAL}.namedCredential-meta.xml`, namedCredential(options.backendUrl));
  for (const [name, xml] of flows(options.triggerFields, SF_API_VERSION)) add('Flow', name, `${SRC}/flows/${name}.flow-meta.xml`, xml);
  files.set(`${SRC}/labels/CustomLabels.labels-meta.xml`, customLabels());
  members.CustomLabel = Object.keys(SALESFORCE_LABELS);
  files.set(LABELS_MODULE, labelsModule());
  members.LightningComponentBundle = [...LWC_BUNDLES];

  files.set(
    'manifest/package.xml',
    doc('Package', [
      ...Object.keys(members)
        .sort()
        .map((type): Node => ['types', [...members[type].sort().map((m): Node => ['members', m]), ['name', type]]]),
      ['version', SF_API_VERSION],
    ]),
  );
  files.set('sfdx-project.json', `${JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], name: 'advocacy-loop', namespace: '', sourceApiVersion: SF_API_VERSION }, null, 2)}\n`);
  return new Map([...files.entries()].sort(([a], [b]) => a.localeCompare(b)));
}
