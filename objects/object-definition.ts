import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The advocacy-ask object, read from objects/advocacy-ask.json: the one definition both the
// HubSpot schema and the Salesforce metadata come from.

export type FieldType = 'text' | 'longtext' | 'picklist' | 'date' | 'number';

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  length?: number;
  precision?: number;
  scale?: number;
  required?: boolean;
  unique?: boolean;
  externalId?: boolean;
  options?: string[];
}

export interface AssociationDef {
  to: 'company' | 'contact' | 'deal';
  salesforce: { object: string; field: string; relationshipName: string; required?: boolean };
}

export interface ObjectDef {
  name: string;
  label: string;
  pluralLabel: string;
  description: string;
  primaryField: string;
  fields: FieldDef[];
  associations: AssociationDef[];
  writeBackFields: { fields: FieldDef[] };
}

// Beside this module in the sources; two levels up from dist/objects/ when built. Found here
// rather than through backend/src/config, so the object definition depends on nothing in the backend.
const besideThis = join(__dirname, 'advocacy-ask.json');
export const OBJECT_DEFINITION_FILE = existsSync(besideThis) ? besideThis : join(__dirname, '../../objects/advocacy-ask.json');

export function loadObjectDefinition(file: string = OBJECT_DEFINITION_FILE): ObjectDef {
  return JSON.parse(readFileSync(file, 'utf8')) as ObjectDef;
}
