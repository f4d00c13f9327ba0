import type { FieldDef, ObjectDef } from './object-definition';

// HubSpot shapes generated from the object definition: the custom-object schema body for
// POST /crm/v3/schemas (Enterprise portals) and the company properties the app writes back.

export const HUBSPOT_PROPERTY_GROUP = 'advocacy_loop';

export interface HubSpotProperty {
  name: string;
  label: string;
  type: 'string' | 'enumeration' | 'date' | 'number';
  fieldType: 'text' | 'textarea' | 'select' | 'date' | 'number';
  groupName?: string;
  hasUniqueValue?: boolean;
  options?: Array<{ label: string; value: string; displayOrder: number }>;
}

function property(f: FieldDef, groupName?: string): HubSpotProperty {
  const base = { name: f.name, label: f.label, ...(groupName ? { groupName } : {}) };
  switch (f.type) {
    case 'text':
      return { ...base, type: 'string', fieldType: 'text', ...(f.unique ? { hasUniqueValue: true } : {}) };
    case 'longtext':
      return { ...base, type: 'string', fieldType: 'textarea' };
    case 'picklist':
      return { ...base, type: 'enumeration', fieldType: 'select', options: (f.options ?? []).map((o, i) => ({ label: o, value: o, displayOrder: i })) };
    case 'date':
      return { ...base, type: 'date', fieldType: 'date' };
    case 'number':
      return { ...base, type: 'number', fieldType: 'number' };
  }
}

export function hubspotObjectSchema(def: ObjectDef) {
  return {
    name: def.name,
    description: def.description,
    labels: { singular: def.label, plural: def.pluralLabel },
    primaryDisplayProperty: def.primaryField,
    secondaryDisplayProperties: ['ask_type', 'status'],
    searchableProperties: [def.primaryField, 'ask_id'],
    requiredProperties: def.fields.filter((f) => f.required).map((f) => f.name),
    properties: def.fields.map((f) => property(f)),
    associatedObjects: def.associations.map((a) => a.to.toUpperCase()),
  };
}

export function hubspotCompanyProperties(def: ObjectDef): HubSpotProperty[] {
  return def.writeBackFields.fields.map((f) => property(f, HUBSPOT_PROPERTY_GROUP));
}
