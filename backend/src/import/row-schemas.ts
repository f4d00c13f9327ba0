import { z } from 'zod';
import { DATE_RULE, isIsoDate } from '../domain/calendar';
import { ID_RULE, isValidId } from '../domain/ids';
import { ASK_STATUSES, ASK_TYPES, SENIORITIES } from '../domain/types';
import type { DatasetKind } from './dataset';

// One schema per importable kind, over the columns documented in the README. CSV cells arrive
// as strings (empty = no value); JSON values may already be typed. Either way the same rules.

// A blank cell (empty, or only spaces) is "no value", never 0 or "".
const blankToNull = (v: unknown) => (v === undefined || (typeof v === 'string' && v.trim() === '') ? null : v);
const text = z.preprocess(blankToNull, z.string().trim().min(1).nullable());
const requiredText = z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string({ error: 'is required' }).trim().min(1, 'is required'));
const num = (min: number, max: number) =>
  z.preprocess(
    (v) => (blankToNull(v) === null ? null : typeof v === 'string' ? Number(v) : v),
    z.number({ error: `must be a number from ${min} to ${max}` }).min(min, `must be a number from ${min} to ${max}`).max(max, `must be a number from ${min} to ${max}`).nullable(),
  );
const requiredNum = (min: number, max: number, int = false) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : Number(v)) : v),
    (int ? z.number({ error: `must be a whole number from ${min} to ${max}` }).int(`must be a whole number from ${min} to ${max}`) : z.number({ error: `must be a number from ${min} to ${max}` }))
      .min(min, `must be from ${min} to ${max}`)
      .max(max, `must be from ${min} to ${max}`),
  );
const date = z.preprocess(blankToNull, z.string().trim().refine(isIsoDate, `must be ${DATE_RULE}`).nullable());
const requiredDate = z.preprocess(blankToNull, z.string({ error: 'is required (YYYY-MM-DD)' }).trim().refine(isIsoDate, `must be ${DATE_RULE}`));
// Ids follow the one rule the HTTP routes accept (domain/ids.ts): what is imported can be addressed.
const requiredId = z.preprocess((v) => (typeof v === 'number' ? String(v) : blankToNull(v) ?? undefined), z.string({ error: 'is required' }).trim().refine(isValidId, `must be ${ID_RULE}`));
const id = z.preprocess((v) => (typeof v === 'number' ? String(v) : blankToNull(v)), z.string().trim().refine(isValidId, `must be ${ID_RULE}`).nullable());
const timestamp = z.preprocess(
  blankToNull,
  z
    .string()
    .trim()
    .refine((v) => (isIsoDate(v) || (/^\d{4}-\d{2}-\d{2}T/.test(v) && isIsoDate(v.slice(0, 10)))) && !Number.isNaN(Date.parse(v)), `must be ${DATE_RULE} or an ISO timestamp`)
    .transform((v) => (isIsoDate(v) ? `${v}T12:00:00.000Z` : new Date(v).toISOString()))
    .nullable(),
);
const bool = z.preprocess((v) => {
  if (v === '' || v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  const s = String(v).trim().toLowerCase();
  if (['true', 'yes', 'y', '1'].includes(s)) return true;
  if (['false', 'no', 'n', '0'].includes(s)) return false;
  return v;
}, z.boolean({ error: 'must be true or false' }));
const list = z.preprocess((v) => (Array.isArray(v) ? v : typeof v === 'string' ? v.split(';').map((s) => s.trim()).filter(Boolean) : v ?? []), z.array(z.string()));
const oneOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: `must be one of ${values.join(', ')}` });

export const ROW_SCHEMAS = {
  owners: z.object({ owner_id: requiredId, name: requiredText, email: text }),
  accounts: z.object({
    account_id: requiredId,
    name: requiredText,
    owner_id: id,
    health_score: num(0, 100),
    customer_since: date,
    usage_depth: num(0, 100),
    csat: num(1, 5),
    engagement: num(0, 100),
    strategic: bool,
    open_escalations: z.preprocess((v) => (blankToNull(v) === null ? 0 : Number(v)), z.number().int('must be a whole number').min(0, 'must be 0 or more')),
    renewal_date: date,
    industry: text,
    region: text,
    size_band: text,
    products: list,
    use_cases: list,
    competitors_replaced: list,
    languages: list,
  }),
  health: z.object({ account_id: requiredId, date: requiredDate, score: requiredNum(0, 100) }),
  contacts: z.object({
    contact_id: requiredId,
    account_id: requiredId,
    first_name: text,
    last_name: text,
    title: text,
    seniority: z.preprocess(blankToNull, oneOf(SENIORITIES).nullable()),
    do_not_contact: bool,
  }),
  nps: z.object({ contact_id: requiredId, account_id: requiredId, date: requiredDate, score: requiredNum(0, 10, true) }),
  asks: z.object({
    ask_id: requiredId,
    account_id: requiredId,
    contact_id: id,
    deal_id: id,
    ask_type: oneOf(ASK_TYPES),
    status: oneOf(ASK_STATUSES),
    proposed_at: z.preprocess(blankToNull, timestamp.refine((v) => v !== null, 'is required')),
    sent_at: timestamp,
    accepted_at: timestamp,
    declined_at: timestamp,
    no_response_at: timestamp,
    completed_at: timestamp,
    cancelled_at: timestamp,
    outcome_note: text,
  }),
  consents: z
    .object({
      consent_id: requiredId,
      account_id: requiredId,
      contact_id: id,
      scope: oneOf(ASK_TYPES),
      granted_on: requiredDate,
      evidence: requiredText,
      expires_on: date,
      revoked_on: date,
    })
    .superRefine((c, ctx) => {
      // A consent ends after it begins: an expiry or revocation before the grant is a typo.
      if (c.expires_on && c.expires_on < c.granted_on) ctx.addIssue({ code: 'custom', path: ['expires_on'], message: `${c.expires_on} is before granted_on ${c.granted_on}` });
      if (c.revoked_on && c.revoked_on < c.granted_on) ctx.addIssue({ code: 'custom', path: ['revoked_on'], message: `${c.revoked_on} is before granted_on ${c.granted_on}` });
    }),
  deals: z.object({
    deal_id: requiredId,
    name: requiredText,
    account_id: id,
    owner_id: id,
    amount: num(0, 1e12),
    stage: z.preprocess((v) => blankToNull(v) ?? 'open', oneOf(['open', 'won', 'lost'] as const)),
    close_date: date,
    industry: text,
    region: text,
    size_band: text,
    products: list,
  }),
} satisfies Record<DatasetKind, z.ZodType>;

export type RowOf<K extends DatasetKind> = z.infer<(typeof ROW_SCHEMAS)[K]>;

export const COLUMNS: Record<DatasetKind, string[]> = Object.fromEntries(
  Object.entries(ROW_SCHEMAS).map(([k, s]) => [k, Object.keys((s as z.ZodObject).shape)]),
) as Record<DatasetKind, string[]>;
