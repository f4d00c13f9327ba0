import { dayOf, daysBetween, plusMonths } from './calendar';
import type { Criteria } from './criteria';
import { latestNps } from './eligibility';
import type { AccountSnapshot, Contact, IsoDate } from './types';

// Readiness is a weighted sum of normalized signals. Points are kept in tenths so the listed
// contributions add up exactly to the score; a missing signal earns nothing and says so.

export type Signal = keyof Criteria['readiness']['weights'];
export type Band = 'green' | 'amber' | 'red';

export interface Contribution {
  signal: Signal;
  raw: number | string | null;
  weight: number;
  points: number;
  missing: boolean;
  note: string;
}

export interface Readiness {
  score: number;
  band: Band;
  contributions: Contribution[];
}

export function bandOf(score: number, criteria: Criteria): Band {
  if (score >= criteria.bands.green) return 'green';
  if (score >= criteria.bands.amber) return 'amber';
  return 'red';
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** Tenure grows a little every day until full marks: the one readiness signal that moves with the calendar alone. */
export function tenureNormalized(customerSince: IsoDate, criteria: Criteria, asOf: IsoDate): number {
  const days = Math.max(0, daysBetween(customerSince, asOf));
  const fullDays = Math.max(1, daysBetween(customerSince, plusMonths(customerSince, criteria.readiness.tenureFullMonths)));
  return clamp01(days / fullDays);
}

/** A signal's points in tenths (so the listed contributions add up exactly to the score). */
export function pointTenths(weight: number, normalized: number | null): number {
  return normalized === null ? 0 : Math.round(weight * normalized * 10);
}

interface Measured {
  raw: number | string | null;
  /** 0..1, or null when the signal is missing. */
  normalized: number | null;
  note: string;
}

function measure(signal: Signal, snapshot: AccountSnapshot, contact: Contact, criteria: Criteria, asOf: IsoDate): Measured {
  const a = snapshot.account;
  switch (signal) {
    case 'health':
      return a.healthScore === null
        ? { raw: null, normalized: null, note: 'no health score recorded' }
        : { raw: a.healthScore, normalized: clamp01(a.healthScore / 100), note: `health ${a.healthScore}/100` };
    case 'nps': {
      const nps = latestNps(snapshot.npsResponses, contact.contactId);
      return nps
        ? { raw: nps.score, normalized: clamp01(nps.score / 10), note: `latest NPS ${nps.score}/10 on ${nps.date}` }
        : { raw: null, normalized: null, note: 'no NPS response from this contact' };
    }
    case 'usage':
      return a.usageDepth === null
        ? { raw: null, normalized: null, note: 'no usage depth recorded' }
        : { raw: a.usageDepth, normalized: clamp01(a.usageDepth / 100), note: `uses ${a.usageDepth}% of licensed value` };
    case 'tenure': {
      if (a.customerSince === null) return { raw: null, normalized: null, note: 'no customer-since date' };
      return {
        raw: a.customerSince,
        normalized: tenureNormalized(a.customerSince, criteria, asOf),
        note: `customer since ${a.customerSince} (full marks at ${criteria.readiness.tenureFullMonths} months)`,
      };
    }
    case 'csat':
      return a.csat === null
        ? { raw: null, normalized: null, note: 'no CSAT recorded' }
        : { raw: a.csat, normalized: clamp01((a.csat - 1) / 4), note: `average CSAT ${a.csat} on 1-5` };
    case 'seniority':
      return contact.seniority === null
        ? { raw: null, normalized: null, note: 'champion seniority unknown' }
        : {
            raw: contact.seniority,
            normalized: clamp01(criteria.readiness.seniorityValue[contact.seniority]),
            note: `champion is ${contact.seniority.replace('_', '-')}${contact.title ? ` (${contact.title})` : ''}`,
          };
    case 'engagement':
      return a.engagement === null
        ? { raw: null, normalized: null, note: 'no engagement score recorded' }
        : { raw: a.engagement, normalized: clamp01(a.engagement / 100), note: `engagement with CS programs ${a.engagement}/100` };
    case 'priorAdvocacy': {
      const since = plusMonths(asOf, -24);
      const completed = snapshot.asks.filter((x) => x.status === 'completed' && x.completedAt && dayOf(x.completedAt) >= since).length;
      return {
        raw: completed,
        normalized: clamp01(completed / 2),
        note: completed === 0 ? 'no completed advocacy in 24 months' : `${completed} completed advocacy ask(s) in 24 months`,
      };
    }
  }
}

export function scoreReadiness(snapshot: AccountSnapshot, contact: Contact, criteria: Criteria, asOf: IsoDate): Readiness {
  const weights = criteria.readiness.weights;
  let tenths = 0;
  const contributions: Contribution[] = [];
  for (const signal of Object.keys(weights) as Signal[]) {
    const weight = weights[signal];
    const m = measure(signal, snapshot, contact, criteria, asOf);
    const signalTenths = pointTenths(weight, m.normalized);
    tenths += signalTenths;
    contributions.push({
      signal,
      raw: m.raw,
      weight,
      points: signalTenths / 10,
      missing: m.normalized === null,
      note: m.normalized === null ? `${m.note}: missing, 0 of ${weight} points` : m.note,
    });
  }
  const score = tenths / 10;
  return { score, band: bandOf(score, criteria), contributions };
}
