import { z } from 'zod';
import type { ReferenceNeed } from './reference-types';
import { ASK_TYPES } from './types';

// What an ask keeps beside its lifecycle, in a typed shape. The store holds it as JSON; it is
// parsed here once per read, leniently: an ask stored before a field existed (or by an
// import) reads that field as null instead of failing the view.

export interface ReferenceFeedback {
  advocate?: string;
  prospect?: string;
}

export interface ReferenceRequestDetails {
  need: ReferenceNeed | null;
  requestedBy: string | null;
  /** Kept when the request was made: the list of a deal's requests needs no CRM read per request. */
  contactName: string | null;
  accountName: string | null;
  /** After the reference: what the advocate and the prospect said. */
  feedback: ReferenceFeedback | null;
}

const text = z.string().nullable().catch(null);
const needSchema = z.object({
  askType: z.enum(ASK_TYPES),
  industry: z.string().nullable(),
  sizeBand: z.string().nullable(),
  region: z.string().nullable(),
  product: z.string().nullable(),
  useCase: z.string().nullable().default(null),
  competitor: z.string().nullable().default(null),
  language: z.string().nullable().default(null),
  dueOn: z.string().nullable().default(null),
});
const feedbackSchema = z.object({ advocate: z.string().optional(), prospect: z.string().optional() }).strip();

const detailsSchema = z.object({
  need: needSchema.nullable().catch(null).default(null),
  requestedBy: text.default(null),
  contactName: text.default(null),
  accountName: text.default(null),
  feedback: feedbackSchema.nullable().catch(null).default(null),
});

/** The typed details of a stored ask (a reference request's, or the feedback any ask may carry). */
export function askDetails(raw: Record<string, unknown> | null | undefined): ReferenceRequestDetails {
  const parsed = detailsSchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : { need: null, requestedBy: null, contactName: null, accountName: null, feedback: null };
}

/** What a new reference request keeps on its ask. */
export function referenceRequestDetails(need: ReferenceNeed, requestedBy: string, advocate: { contactName: string; accountName: string }): Record<string, unknown> {
  const details: Omit<ReferenceRequestDetails, 'feedback'> = { need, requestedBy, contactName: advocate.contactName, accountName: advocate.accountName };
  return { ...details };
}

/** The ask's feedback with what was given merged over it (a side not given keeps its text); null when nothing was given. */
export function mergeFeedback(raw: Record<string, unknown>, given: ReferenceFeedback): ReferenceFeedback | null {
  if (Object.keys(given).length === 0) return null;
  return { ...(askDetails(raw).feedback ?? {}), ...given };
}

/** What an engine proposal keeps on its ask: the rule that chose it and the outreach rendered then. */
export interface ProposalDetails {
  rule: { kind: string; detail: string } | null;
  outreach: { subject: string; body: string } | null;
}

const proposalSchema = z.object({
  rule: z.object({ kind: z.string(), detail: z.string() }).strip().nullable().catch(null).default(null),
  outreach: z.object({ subject: z.string(), body: z.string() }).strip().nullable().catch(null).default(null),
});

export function proposalDetails(raw: Record<string, unknown> | null | undefined): ProposalDetails {
  const parsed = proposalSchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : { rule: null, outreach: null };
}
