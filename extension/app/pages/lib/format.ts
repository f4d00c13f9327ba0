import type { AskType, Band, RequestStage } from './types';

// Words for codes, so cards never show snake_case to a user.

export const ASK_TYPE_LABELS: Record<AskType, string> = {
  quote: 'Quote',
  review: 'Review',
  reference_call: 'Reference call',
  logo: 'Logo',
  case_study: 'Case study',
  speaking: 'Speaking',
  advisory_board: 'Advisory board',
};

export const SIGNAL_LABELS: Record<string, string> = {
  health: 'Health score',
  nps: 'NPS',
  usage: 'Usage depth',
  tenure: 'Tenure',
  csat: 'CSAT',
  seniority: 'Champion seniority',
  engagement: 'Engagement',
  priorAdvocacy: 'Prior advocacy',
};

export const signalLabel = (signal: string) => SIGNAL_LABELS[signal] ?? humanize(signal);

export const humanize = (code: string) => {
  const words = code.replace(/[_-]+/g, ' ').toLowerCase().trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

export const BAND_VARIANT: Record<Band, 'success' | 'warning' | 'error'> = { green: 'success', amber: 'warning', red: 'error' };

export const STAGE_VARIANT: Record<RequestStage, 'default' | 'info' | 'success' | 'warning' | 'error'> = {
  requested: 'info',
  approved: 'info',
  scheduled: 'warning',
  completed: 'success',
  declined: 'error',
};

/** The date part of an ISO timestamp or date. */
export const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : '');

export const rawValue = (raw: number | string | null) => (raw === null ? 'missing' : String(raw));

/** "2026-11-25" <-> the { year, month (0-based), date } that DateInput uses. */
export function toDateInput(iso: string | null): { year: number; month: number; date: number } | undefined {
  if (!iso || !/^\d{4}-\d{2}-\d{2}$/.test(iso)) return undefined;
  const [y, m, d] = iso.split('-').map(Number);
  return { year: y, month: m - 1, date: d };
}

export function fromDateInput(value: { year: number; month: number; date: number } | null | undefined): string | null {
  if (!value) return null;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${value.year}-${pad(value.month + 1)}-${pad(value.date)}`;
}
