import { z } from 'zod';

// Where the signals live in this org. Every org names its custom fields differently; the
// program owner maps them once. Blank = the org has no such field (the signal shows missing).

const field = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*(__c|__r\.[A-Za-z0-9_]+)?$|^[A-Za-z]+\.[A-Za-z]+$/, 'must be a Salesforce field API name').nullable();

export const salesforceFieldMapSchema = z
  .object({
    account: z
      .object({
        healthScore: field.default('Health_Score__c'),
        previousHealthScore: field.default(null),
        previousHealthDate: field.default(null),
        customerSince: field.default('Customer_Since__c'),
        usageDepth: field.default(null),
        csat: field.default(null),
        engagement: field.default(null),
        strategic: field.default('Strategic_Account__c'),
        openEscalations: field.default(null),
        renewalDate: field.default(null),
        industry: field.default('Industry'),
        region: field.default('BillingCountry'),
        sizeBand: field.default(null),
        products: field.default(null),
        /** Multi-select picklists of what the account can speak to as a reference (optional). */
        useCases: field.default(null),
        competitorsReplaced: field.default(null),
        languages: field.default(null),
        /** The CSM: a user lookup on Account, or OwnerId. */
        csm: z.string().default('OwnerId'),
      })
      .strict()
      .prefault({}),
    contact: z
      .object({
        npsScore: field.default('NPS_Score__c'),
        npsDate: field.default('NPS_Date__c'),
        seniority: field.default(null),
        doNotContact: z.string().default('HasOptedOutOfEmail'),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type SalesforceFieldMap = z.infer<typeof salesforceFieldMapSchema>;

export const defaultFieldMap = (): SalesforceFieldMap => salesforceFieldMapSchema.parse({});

/** The relationship that carries the CSM's name: OwnerId -> Owner, CSM__c -> CSM__r. */
export const csmRelationship = (csmField: string) => (csmField === 'OwnerId' ? 'Owner' : csmField.replace(/__c$/, '__r'));
