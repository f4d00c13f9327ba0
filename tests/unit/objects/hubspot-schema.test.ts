import { hubspotCompanyProperties, hubspotObjectSchema, HUBSPOT_PROPERTY_GROUP } from '../../../objects/hubspot-schema';
import { loadObjectDefinition } from '../../../objects/object-definition';

const def = loadObjectDefinition();

describe('HubSpot shapes generated from objects/advocacy-ask.json', () => {
  it('when the schema is generated, then every defined field is a property with the matching HubSpot type', () => {
    const schema = hubspotObjectSchema(def);
    expect(schema.properties.map((p) => p.name)).toEqual(def.fields.map((f) => f.name));
    expect(schema.properties.find((p) => p.name === 'ask_type')).toMatchObject({ type: 'enumeration', fieldType: 'select' });
    expect(schema.properties.find((p) => p.name === 'ask_type')!.options!.map((o) => o.value)).toEqual(def.fields.find((f) => f.name === 'ask_type')!.options);
    expect(schema.properties.find((p) => p.name === 'ask_id')).toMatchObject({ type: 'string', hasUniqueValue: true });
    expect(schema.properties.find((p) => p.name === 'outcome')).toMatchObject({ type: 'string', fieldType: 'textarea' });
    expect(schema.properties.find((p) => p.name === 'consent_date')).toMatchObject({ type: 'date', fieldType: 'date' });
  });

  it('when the schema is generated, then it is associated to companies, contacts and deals, with the required fields', () => {
    const schema = hubspotObjectSchema(def);
    expect(schema.associatedObjects).toEqual(['COMPANY', 'CONTACT', 'DEAL']);
    expect(schema.requiredProperties).toEqual(['ask_name', 'ask_id', 'ask_type', 'status']);
    expect(schema.primaryDisplayProperty).toBe('ask_name');
  });

  it('when company properties are generated, then the four write-back properties sit in the app\'s group', () => {
    const props = hubspotCompanyProperties(def);
    expect(props.map((p) => [p.name, p.type, p.groupName])).toEqual([
      ['advocacy_readiness_score', 'number', HUBSPOT_PROPERTY_GROUP],
      ['advocacy_readiness_band', 'enumeration', HUBSPOT_PROPERTY_GROUP],
      ['advocacy_status', 'enumeration', HUBSPOT_PROPERTY_GROUP],
      ['advocacy_last_ask_date', 'date', HUBSPOT_PROPERTY_GROUP],
    ]);
  });
});
