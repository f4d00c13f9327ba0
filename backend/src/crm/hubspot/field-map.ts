import { z } from 'zod';

// Which HubSpot properties carry the signals in this portal. Portals name their custom
// properties differently; the program owner maps them once. Null = the portal has no such
// property (the signal shows as missing).

const property = z.string().regex(/^[a-z0-9_]+$/, 'must be a HubSpot property internal name (lower case, digits, underscores)').nullable();
const required = z.string().regex(/^[a-z0-9_]+$/, 'must be a HubSpot property internal name');

export const hubspotFieldMapSchema = z
  .object({
    company: z
      .object({
        healthScore: property.default('health_score'),
        previousHealthScore: property.default(null),
        previousHealthDate: property.default(null),
        /** HubSpot's company "Close date" is the day it became a customer. */
        customerSince: property.default('closedate'),
        usageDepth: property.default(null),
        csat: property.default(null),
        engagement: property.default(null),
        strategic: property.default(null),
        openEscalations: property.default(null),
        renewalDate: property.default(null),
        industry: property.default('industry'),
        region: property.default('country'),
        sizeBand: property.default(null),
        products: property.default(null),
        /** Multi-select properties of what the account can speak to as a reference (optional). */
        useCases: property.default(null),
        competitorsReplaced: property.default(null),
        languages: property.default(null),
        /** The CSM: hubspot_owner_id, or a portal's own owner property such as a CSM field. */
        owner: required.default('hubspot_owner_id'),
      })
      .strict()
      .prefault({}),
    contact: z
      .object({
        npsScore: property.default('nps_score'),
        npsDate: property.default('nps_date'),
        seniority: property.default('hs_seniority'),
        doNotContact: property.default('hs_email_optout'),
      })
      .strict()
      .prefault({}),
    task: z
      .object({
        /** Who the task is assigned to. */
        owner: required.default('hubspot_owner_id'),
      })
      .strict()
      .prefault({}),
    deal: z
      .object({
        /** Stages that mean won / lost when a portal does not rely on hs_is_closed_won. */
        wonStages: z.array(z.string()).default([]),
        lostStages: z.array(z.string()).default([]),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type HubSpotFieldMap = z.infer<typeof hubspotFieldMapSchema>;

export const defaultHubSpotFieldMap = (): HubSpotFieldMap => hubspotFieldMapSchema.parse({});

const present = (names: Array<string | null>) => names.filter((n): n is string => !!n);
const unique = (names: string[]) => [...new Set(names)];

export function companyProperties(map: HubSpotFieldMap): string[] {
  const c = map.company;
  return unique(['name', c.owner, ...present([c.healthScore, c.previousHealthScore, c.previousHealthDate, c.customerSince, c.usageDepth, c.csat, c.engagement, c.strategic, c.openEscalations, c.renewalDate, c.industry, c.region, c.sizeBand, c.products, c.useCases, c.competitorsReplaced, c.languages])]);
}

export function contactProperties(map: HubSpotFieldMap): string[] {
  const c = map.contact;
  return unique(['firstname', 'lastname', 'jobtitle', ...present([c.npsScore, c.npsDate, c.seniority, c.doNotContact])]);
}
