// The domain's vocabulary. Everything here is plain data: no I/O, no vendor names.

/** The graduated ladder, lowest commitment first. The order is the ladder. */
export const ASK_TYPES = [
  'quote',
  'review',
  'reference_call',
  'logo',
  'case_study',
  'speaking',
  'advisory_board',
] as const;
export type AskType = (typeof ASK_TYPES)[number];

/** Asks that put the customer's name or brand in public need a consent record before completion. */
export const PUBLISHING_ASK_TYPES: readonly AskType[] = ['quote', 'review', 'logo', 'case_study', 'speaking'];

export const SENIORITIES = ['individual', 'manager', 'director', 'vp', 'c_level'] as const;
export type Seniority = (typeof SENIORITIES)[number];

export const ASK_STATUSES = [
  'proposed',
  'sent',
  'accepted',
  'declined',
  'no_response',
  'completed',
  'cancelled',
] as const;
export type AskStatus = (typeof ASK_STATUSES)[number];

/** ISO calendar date, YYYY-MM-DD (UTC). */
export type IsoDate = string;
/** ISO timestamp. */
export type IsoTimestamp = string;

export interface HealthPoint {
  date: IsoDate;
  score: number;
}

export interface NpsResponse {
  contactId: string;
  date: IsoDate;
  score: number;
}

export interface Account {
  accountId: string;
  name: string;
  /** Owning CSM; null when nobody owns the account. */
  ownerId: string | null;
  /** 0-100, null when the CRM has no health score. */
  healthScore: number | null;
  /** Recent health readings (any order), used for the drop-within-window signal. */
  healthHistory: HealthPoint[];
  customerSince: IsoDate | null;
  /** Product usage depth, 0-100 (share of licensed value actually used). */
  usageDepth: number | null;
  /** Average CSAT on a 1-5 scale. */
  csat: number | null;
  /** Engagement with CS programs (QBRs, betas, research), 0-100. */
  engagement: number | null;
  strategic: boolean;
  openEscalations: number;
  renewalDate: IsoDate | null;
  industry: string | null;
  region: string | null;
  sizeBand: string | null;
  products: string[];
  /** What the account can speak to as a reference: use cases, competitors it replaced, languages. */
  useCases?: string[];
  competitorsReplaced?: string[];
  languages?: string[];
}

export interface Contact {
  contactId: string;
  accountId: string;
  firstName: string | null;
  lastName: string | null;
  title: string | null;
  seniority: Seniority | null;
  doNotContact: boolean;
}

export interface Owner {
  ownerId: string;
  name: string;
  email: string | null;
}

export interface Ask {
  askId: string;
  accountId: string;
  contactId: string | null;
  dealId: string | null;
  askType: AskType;
  status: AskStatus;
  /** One timestamp per lifecycle step, so the status on any past day can be rebuilt. */
  proposedAt: IsoTimestamp;
  sentAt: IsoTimestamp | null;
  acceptedAt: IsoTimestamp | null;
  declinedAt: IsoTimestamp | null;
  noResponseAt: IsoTimestamp | null;
  completedAt: IsoTimestamp | null;
  cancelledAt: IsoTimestamp | null;
}

export interface Consent {
  consentId: string;
  accountId: string;
  /** Null when the consent covers the account as a whole (e.g. a logo). */
  contactId: string | null;
  scope: AskType;
  grantedOn: IsoDate;
  evidence: string;
  expiresOn: IsoDate | null;
  revokedOn: IsoDate | null;
}

/** Everything the engine needs to judge one account, as of one date. */
export interface AccountSnapshot {
  account: Account;
  contacts: Contact[];
  npsResponses: NpsResponse[];
  owner: Owner | null;
  asks: Ask[];
  consents: Consent[];
}

export interface Reason {
  code: string;
  detail: string;
}

export type Decision = 'propose' | 'handoff' | 'not_ready';
