import type { FieldDef, ObjectDef } from './object-definition';

// Salesforce metadata in SFDX source format, generated from the object definition:
// Advocacy_Ask__c (activities enabled, so Tasks can point at it) with lookups to Account,
// Contact and Opportunity, and the fields the app writes back on Account. Pure: returns
// file path -> content; scripts/generate-objects.ts writes them, a test checks for drift.

export const SF_NS = 'http://soap.sforce.com/2006/04/metadata';
export const SF_API_VERSION = '62.0';
export const SF_OBJECT = 'Advocacy_Ask__c';
const ROOT = 'force-app/main/default/objects';

export const sfFieldName = (name: string) => `${name.split('_').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('_')}__c`;

type Node = [string, string | Node[]];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function render(nodes: Node[], depth: number): string {
  const pad = '    '.repeat(depth);
  return nodes
    .map(([tag, value]) => (typeof value === 'string' ? `${pad}<${tag}>${esc(value)}</${tag}>` : `${pad}<${tag}>\n${render(value, depth + 1)}\n${pad}</${tag}>`))
    .join('\n');
}

const doc = (root: string, nodes: Node[]) => `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${SF_NS}">\n${render(nodes, 1)}\n</${root}>\n`;

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
  return { customObject: { fullName: SF_OBJECT, ...toMeta(objectNodes(def)) }, customFields: fields };
}

export function salesforceMetadata(def: ObjectDef): Map<string, string> {
  const files = new Map<string, string>();
  files.set(`${ROOT}/${SF_OBJECT}/${SF_OBJECT}.object-meta.xml`, doc('CustomObject', objectNodes(def)));
  const customFields: string[] = [];
  for (const f of def.fields) {
    if (f.name === def.primaryField) continue;
    customFields.push(`${SF_OBJECT}.${sfFieldName(f.name)}`);
    files.set(`${ROOT}/${SF_OBJECT}/fields/${sfFieldName(f.name)}.field-meta.xml`, doc('CustomField', fieldNodes(f)));
  }
  for (const a of def.associations) {
    const name = `${a.salesforce.field}__c`;
    customFields.push(`${SF_OBJECT}.${name}`);
    files.set(`${ROOT}/${SF_OBJECT}/fields/${name}.field-meta.xml`, doc('CustomField', lookupNodes(a, def)));
  }
  for (const f of def.writeBackFields.fields) {
    customFields.push(`Account.${sfFieldName(f.name)}`);
    files.set(`${ROOT}/Account/fields/${sfFieldName(f.name)}.field-meta.xml`, doc('CustomField', fieldNodes(f)));
  }
  files.set(
    'manifest/package.xml',
    doc('Package', [
      ['types', [...customFields.sort().map((m): Node => ['members', m]), ['name', 'CustomField']]],
      ['types', [['members', SF_OBJECT], ['name', 'CustomObject']]],
      ['version', SF_API_VERSION],
    ]),
  );
  files.set('sfdx-project.json', `${JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], name: 'advocacy-loop', namespace: '', sourceApiVersion: SF_API_VERSION }, null, 2)}\n`);
  return new Map([...files.entries()].sort(([a], [b]) => a.localeCompare(b)));
}
