// The scopes the adapter's calls need, in one place: the app definition the build writes into
// extension/ and the OAuth install link both read them, so the two cannot drift apart.

export const HUBSPOT_REQUIRED_SCOPES = [
  'crm.objects.companies.read',
  'crm.objects.companies.write', // write-back properties
  'crm.objects.contacts.read',
  'crm.objects.contacts.write', // tasks and notes are engagements under the contacts scopes
  'crm.objects.deals.read',
  'crm.objects.owners.read',
  'crm.schemas.companies.read',
  'crm.schemas.companies.write', // setup creates the write-back properties
] as const;

/** Custom objects are an Enterprise feature: asked for where available, not required. */
export const HUBSPOT_CUSTOM_OBJECT_SCOPES = ['crm.objects.custom.read', 'crm.objects.custom.write', 'crm.schemas.custom.read', 'crm.schemas.custom.write'] as const;
