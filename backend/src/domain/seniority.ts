import { SENIORITIES, type Seniority } from './types';

// A contact's seniority, from the CRM's seniority field when it holds one, else from the job
// title. One rule for every CRM: the same word means the same seniority wherever it is kept.

// Values CRMs use for the top of a company that are not our own names: HubSpot's enrichment
// writes "executive", "owner" and "partner"; Salesforce orgs keep the same words in custom
// picklists. An owner or partner runs the customer's business, so counts as c_level (as a
// founder or president does in a title).
const C_LEVEL_SYNONYMS = ['executive', 'owner', 'partner'];

/** The seniority a CRM value names, or null when it names none we know. */
export function seniorityFromValue(value: string | null | undefined): Seniority | null {
  const s = value?.trim().toLowerCase().replace(/[\s-]+/g, '_');
  if (!s) return null;
  if ((SENIORITIES as readonly string[]).includes(s)) return s as Seniority;
  if (C_LEVEL_SYNONYMS.includes(s)) return 'c_level';
  return null;
}

/** The seniority a job title implies; null without a title. */
export function seniorityFromTitle(title: string | null | undefined): Seniority | null {
  const t = title?.trim().toLowerCase();
  if (!t) return null;
  // "Vice President" names a vp, not a president.
  if (/\b(chief|ceo|cto|coo|cfo|cio|founder)\b|(?<!vice[\s-])\bpresident\b/.test(t)) return 'c_level';
  if (/\b(vp|vice president|svp|evp)\b/.test(t)) return 'vp';
  if (/\b(director|head of)\b/.test(t)) return 'director';
  if (/\b(manager|lead)\b/.test(t)) return 'manager';
  return 'individual';
}

/** The CRM's seniority value when it names one, else what the title implies. */
export function seniorityOf(value: string | null | undefined, title: string | null | undefined): Seniority | null {
  return seniorityFromValue(value) ?? seniorityFromTitle(title);
}
