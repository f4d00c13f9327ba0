import type { FieldDef, ObjectDef } from './object-definition';
import { doc, type Node } from './salesforce-xml';

// The two permission sets the package deploys, so no admin grants field access by hand:
// - Advocacy_Loop_User for CSMs and reps (and anyone whose Account edits start the Flow): read and
//   edit asks, read the Account write-back fields (the app owns them), run the Flow's callout and
//   the Lightning components' Apex controller (both through the External Credential's principal).
//   Lightning components and custom labels take no permission of their own: a component shows
//   to whoever sees the page it is placed on, and its controller is what this grants.
// - Advocacy_Loop_Integration for the backend's integration user: what the adapter does through
//   the API (scan Accounts, Contacts, Opportunities with View All so sharing hides nothing and
//   Change Data Capture delivers every Account event, write asks and write-back fields, create Tasks).
// Required fields are left out: Salesforce refuses field permissions on them (always accessible).

export const USER_PERMISSION_SET = 'Advocacy_Loop_User';
export const INTEGRATION_PERMISSION_SET = 'Advocacy_Loop_Integration';

export interface AccessNames {
  object: string;
  fieldName: (name: string) => string;
  /** Apex the CSMs run: the Flow's invocable and the Lightning components' controller. */
  apexClasses: string[];
  /** `<ExternalCredential>-<principal>`, the form PermissionSet metadata names a principal by. */
  principal: string;
}

interface ObjectAccess {
  object: string;
  create?: boolean;
  edit?: boolean;
  viewAll?: boolean;
}

const objectPermission = (a: ObjectAccess): Node => [
  'objectPermissions',
  [
    ['allowCreate', String(!!a.create)],
    ['allowDelete', 'false'],
    ['allowEdit', String(!!a.edit)],
    ['allowRead', 'true'],
    ['modifyAllRecords', 'false'],
    ['object', a.object],
    ['viewAllRecords', String(!!a.viewAll)],
  ],
];

const fieldPermission = (field: string, editable: boolean): Node => ['fieldPermissions', [['editable', String(editable)], ['field', field], ['readable', 'true']]];

/** The object's and Account's fields a permission set may grant (not the name field, not required ones). */
export function grantableFields(def: ObjectDef, n: Pick<AccessNames, 'object' | 'fieldName'>): { ask: string[]; account: string[] } {
  const optional = (f: FieldDef) => f.name !== def.primaryField && !f.required;
  const ask = [
    ...def.fields.filter(optional).map((f) => `${n.object}.${n.fieldName(f.name)}`),
    ...def.associations.filter((a) => !a.salesforce.required).map((a) => `${n.object}.${a.salesforce.field}__c`),
  ];
  const account = def.writeBackFields.fields.filter(optional).map((f) => `Account.${n.fieldName(f.name)}`);
  return { ask: ask.sort(), account: account.sort() };
}

function permissionSet(p: { label: string; description: string; classes?: string[]; principal?: string; fields: Array<[string, boolean]>; objects: ObjectAccess[]; userPermissions?: string[] }): string {
  return doc('PermissionSet', [
    ...(p.classes ?? []).map((c): Node => ['classAccesses', [['apexClass', c], ['enabled', 'true']]]),
    ['description', p.description],
    ...(p.principal ? [['externalCredentialPrincipalAccesses', [['enabled', 'true'], ['externalCredentialPrincipal', p.principal]]] as Node] : []),
    ...[...p.fields].sort(([a], [b]) => a.localeCompare(b)).map(([f, e]) => fieldPermission(f, e)),
    ['hasActivationRequired', 'false'],
    ['label', p.label],
    ...[...p.objects].sort((a, b) => a.object.localeCompare(b.object)).map(objectPermission),
    ...(p.userPermissions ?? []).sort().map((u): Node => ['userPermissions', [['enabled', 'true'], ['name', u]]]),
  ]);
}

export function permissionSets(def: ObjectDef, n: AccessNames): Map<string, string> {
  const { ask, account } = grantableFields(def, n);
  const user = permissionSet({
    label: 'Advocacy Loop User',
    description: `CSMs and reps: read and edit ${def.pluralLabel}, read the advocacy fields the app writes on Account, run the Flow callout that tells Advocacy Loop an Account changed, and use the Advocacy Loop components on Account, Contact and Opportunity pages (their Apex controller and the backend's principal).`,
    classes: [...n.apexClasses].sort(),
    principal: n.principal,
    fields: [...ask.map((f): [string, boolean] => [f, true]), ...account.map((f): [string, boolean] => [f, false])],
    objects: [{ object: 'Account' }, { object: n.object, edit: true }],
  });
  const integration = permissionSet({
    label: 'Advocacy Loop Integration',
    description: `The Advocacy Loop backend's integration user: read Accounts, Contacts and Opportunities (View All, so the scan and Change Data Capture see every record), write ${def.pluralLabel} and the Account advocacy fields, create Tasks.`,
    // Activity.Advocacy_Key__c: the key the backend writes on each Task it creates and finds it by.
    fields: [...ask, ...account, 'Activity.Advocacy_Key__c'].map((f): [string, boolean] => [f, true]),
    objects: [
      { object: 'Account', edit: true, viewAll: true },
      { object: 'Contact', viewAll: true },
      { object: 'Opportunity', viewAll: true },
      { object: n.object, create: true, edit: true, viewAll: true },
    ],
    userPermissions: ['ApiEnabled', 'EditTask'],
  });
  return new Map([
    [USER_PERMISSION_SET, user],
    [INTEGRATION_PERMISSION_SET, integration],
  ]);
}
