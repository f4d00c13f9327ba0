import { z } from 'zod';
import { DATE_RULE, isIsoDate } from '../domain/calendar';
import { ID_RULE, isValidId } from '../domain/ids';
import { ASK_STATUSES, ASK_TYPES } from '../domain/types';

// Shared input schemas: ids are short printable tokens, dates are YYYY-MM-DD.

// The same id rule an import checks (domain/ids.ts): anything stored can be addressed here.
export const idParam = z.string().refine(isValidId, `must be ${ID_RULE}`);
export const isoDate = z.string().refine(isIsoDate, `must be ${DATE_RULE}`);

export const outcomeBody = z
  .object({
    status: z.enum(ASK_STATUSES),
    note: z.string().max(4000).nullish(),
    consent: z
      .object({
        scope: z.enum(ASK_TYPES),
        evidence: z.string().trim().min(1, 'is required: how the customer agreed (email, signed form...)').max(4000),
        grantedOn: isoDate.optional(),
        expiresOn: isoDate.nullish(),
      })
      .strict()
      .nullish(),
    /** After a reference: what the advocate and the prospect said. */
    feedback: z
      .object({ advocate: z.string().trim().min(1).max(4000).nullish(), prospect: z.string().trim().min(1).max(4000).nullish() })
      .strict()
      .nullish(),
  })
  .strict();

/** An ask the CSM made directly: what, to whom, on which day. */
export const csmAskBody = z
  .object({
    askType: z.enum(ASK_TYPES),
    contactId: idParam,
    askedOn: isoDate,
    note: z.string().max(4000).nullish(),
  })
  .strict();

export const noteBody = z.object({ note: z.string().max(4000).nullable() }).strict();

export const monthsQuery = z.object({ months: z.coerce.number().int().min(1).max(36).default(6), asOf: isoDate.optional() }).strict();

const attr = z.string().trim().min(1).max(100).nullish().transform((v) => v ?? null);

export const referenceNeed = z
  .object({
    askType: z.enum(ASK_TYPES).default('reference_call'),
    industry: attr,
    sizeBand: attr,
    region: attr,
    product: attr,
    useCase: attr,
    competitor: attr,
    language: attr,
    dueOn: isoDate.nullish().transform((v) => v ?? null),
  })
  .strict();
