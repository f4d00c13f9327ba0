import { z } from 'zod';
import { isIsoDate } from './calendar';
import { templateVariableProblems } from './render-outreach';
import { ASK_TYPES, SENIORITIES, type AskType } from './types';

// The program criteria are the program owner's reviewed rules. One schema validates them;
// every rule in the engine reads its thresholds from here, never from a literal.

const askType = z.enum(ASK_TYPES);
const seniority = z.enum(SENIORITIES);
const percent = z.number().min(0).max(100);
const days = z.number().int().min(0).max(3650);
const isoDate = z.string().refine(isIsoDate, 'must be a date written YYYY-MM-DD');

const templateSchema = z
  .object({
    approved: z.boolean(),
    approvedBy: z.string().min(1).optional(),
    approvedOn: isoDate.optional(),
    subject: z.string().min(1).max(200),
    body: z.string().min(1).max(5000),
  })
  .superRefine((t, ctx) => {
    if (t.approved && (!t.approvedBy || !t.approvedOn)) {
      ctx.addIssue({ code: 'custom', message: 'an approved template names approvedBy and approvedOn', path: ['approved'] });
    }
    for (const field of ['subject', 'body'] as const) {
      for (const problem of templateVariableProblems(t[field])) {
        ctx.addIssue({ code: 'custom', message: problem, path: [field] });
      }
    }
  });

const segmentSchema = z
  .object({
    industry: z.array(z.string().min(1)).min(1).optional(),
    region: z.array(z.string().min(1)).min(1).optional(),
    sizeBand: z.array(z.string().min(1)).min(1).optional(),
    product: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict();

const programNeedSchema = z
  .object({
    id: z.string().min(1),
    askType,
    segment: segmentSchema,
    /** Higher wins when several needs match. */
    priority: z.number().int().min(0).max(1000),
    active: z.boolean().default(true),
    note: z.string().optional(),
  })
  .strict();

const weightsSchema = z
  .object({
    health: z.number().min(0),
    nps: z.number().min(0),
    usage: z.number().min(0),
    tenure: z.number().min(0),
    csat: z.number().min(0),
    seniority: z.number().min(0),
    engagement: z.number().min(0),
    priorAdvocacy: z.number().min(0),
  })
  .strict()
  .refine((w) => Math.abs(Object.values(w).reduce((a, b) => a + b, 0) - 100) < 1e-9, {
    message: 'readiness weights must add up to 100',
  });

export const criteriaSchema = z
  .object({
    version: z.string().min(1).max(64),
    programName: z.string().min(1),
    eligibility: z
      .object({
        minNps: z.number().int().min(0).max(10),
        npsMaxAgeMonths: z.number().int().min(1).max(60),
        minHealth: percent,
        minTenureMonths: z.number().int().min(0).max(120),
        requireOwner: z.boolean(),
      })
      .strict(),
    bands: z
      .object({ green: percent, amber: percent })
      .strict()
      .refine((b) => b.green > b.amber, { message: 'green must start above amber' }),
    handoff: z
      .object({
        strategicAccount: z.boolean(),
        sensitivity: z
          .object({
            openEscalation: z.boolean(),
            healthDropPoints: z.number().min(1).max(100),
            healthDropWindowDays: days,
            renewalWithinDays: days,
            detractorMaxScore: z.number().int().min(0).max(10),
            detractorWindowDays: days,
          })
          .strict(),
        recentAskCooldownDays: days,
        fatigue: z
          .object({
            maxAsksPerAccountPer12Months: z.number().int().min(1).max(100),
            maxReferenceCallsPerContactPerQuarter: z.number().int().min(1).max(100),
          })
          .strict(),
        /** A hand-off task is not repeated for the same account within this many days. */
        taskCooldownDays: days,
      })
      .strict(),
    readiness: z
      .object({
        weights: weightsSchema,
        tenureFullMonths: z.number().int().min(1).max(240),
        seniorityValue: z.record(seniority, z.number().min(0).max(1)),
      })
      .strict(),
    ladder: z
      .object({
        minReadiness: z.record(askType, percent),
        minSeniority: z.partialRecord(askType, seniority),
        declineCooldownMonths: z.number().int().min(0).max(60),
      })
      .strict(),
    programNeeds: z.array(programNeedSchema),
    templates: z.partialRecord(askType, templateSchema),
    task: z
      .object({
        dueInDays: z.number().int().min(0).max(90),
      })
      .strict(),
    /** Reference requests from deals: business days for the CSM's decision and the reference itself. */
    referenceServiceLevels: z
      .object({
        csmDecisionBusinessDays: z.number().int().min(0).max(60),
        fulfilmentBusinessDays: z.number().int().min(0).max(120),
      })
      .strict()
      .refine((l) => l.fulfilmentBusinessDays >= l.csmDecisionBusinessDays, { message: 'fulfilment cannot be due before the CSM decides' })
      .default({ csmDecisionBusinessDays: 2, fulfilmentBusinessDays: 5 }),
  })
  .strict()
  .superRefine((c, ctx) => {
    const ids = new Set<string>();
    c.programNeeds.forEach((need, i) => {
      if (ids.has(need.id)) ctx.addIssue({ code: 'custom', message: `duplicate program need id "${need.id}"`, path: ['programNeeds', i, 'id'] });
      ids.add(need.id);
      if (Object.keys(need.segment).length === 0) {
        ctx.addIssue({ code: 'custom', message: 'a program need names at least one segment attribute', path: ['programNeeds', i, 'segment'] });
      }
    });
  });

export type Criteria = z.infer<typeof criteriaSchema>;
export type ProgramNeed = Criteria['programNeeds'][number];
export type Template = z.infer<typeof templateSchema>;

export interface CriteriaProblem {
  path: string;
  message: string;
}

export type CriteriaParseResult = { ok: true; criteria: Criteria } | { ok: false; problems: CriteriaProblem[] };

/** Validates a criteria document, listing every problem with its path. */
export function parseCriteria(input: unknown): CriteriaParseResult {
  const parsed = criteriaSchema.safeParse(input);
  if (parsed.success) return { ok: true, criteria: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => ({
      path: issue.path.length ? issue.path.join('.') : '(root)',
      message: issue.message,
    })),
  };
}

export function approvedTemplate(criteria: Criteria, type: AskType): Template | null {
  const t = criteria.templates[type];
  return t && t.approved ? t : null;
}
