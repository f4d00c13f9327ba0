// The backend's answers, as the cards read them (backend/src/use-cases/views.ts,
// reference-requests.ts, domain/reference-match.ts). tests/cards/contract.test.ts checks at
// compile time that the backend's types still fit these.

export const ASK_TYPES = ['quote', 'review', 'reference_call', 'logo', 'case_study', 'speaking', 'advisory_board'] as const;
export type AskType = (typeof ASK_TYPES)[number];

export const ASK_STATUSES = ['proposed', 'sent', 'accepted', 'declined', 'no_response', 'completed', 'cancelled'] as const;
export type AskStatus = (typeof ASK_STATUSES)[number];

export type Band = 'green' | 'amber' | 'red';
export type Decision = 'propose' | 'handoff' | 'not_ready';

export interface Reason {
  code: string;
  detail: string;
}

export interface Contribution {
  signal: string;
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

export interface Evaluation {
  accountId: string;
  contactId: string | null;
  asOf: string;
  decision: Decision;
  askType: AskType | null;
  reasons: Reason[];
  readiness: Readiness | null;
  proposal: { askType: AskType; rule?: { kind: string; detail: string }; outreach: { subject: string; body: string } } | null;
  ownerMustAct: boolean;
}

export interface AskView {
  askId: string;
  accountId: string;
  contactId: string | null;
  contactName: string | null;
  dealId: string | null;
  askType: AskType;
  status: AskStatus;
  proposedAt: string;
  sentAt: string | null;
  statusAt: string;
  taskId: string | null;
  outcomeNote: string | null;
  /** The CSM asked directly and recorded it on the card. */
  csmOwned: boolean;
}

/** The account's ask in progress. */
export interface OpenAskView extends AskView {
  ageDays: number;
  next: AskStatus[];
  rule: { kind: string; detail: string } | null;
  outreach: { subject: string; body: string } | null;
}

export interface Consent {
  consentId: string;
  accountId: string;
  contactId: string | null;
  scope: AskType;
  grantedOn: string;
  evidence: string;
  expiresOn: string | null;
  revokedOn: string | null;
}

export interface AccountAdvocacyView {
  account: { accountId: string; name: string; ownerId: string | null; ownerName: string | null; healthScore: number | null; strategic: boolean };
  evaluation: Evaluation;
  missingSignals: string[];
  contacts: { contactId: string; name: string; doNotContact: boolean }[];
  openAsk: OpenAskView | null;
  asks: AskView[];
  consents: Consent[];
}

export interface CapView {
  used: number;
  max: number;
  availableOn: string | null;
}

export interface ContactAdvocateView {
  contact: { contactId: string; accountId: string; name: string; title: string | null; seniority: string | null; doNotContact: boolean };
  latestNps: { score: number; date: string } | null;
  lastAsk: AskView | null;
  asks: AskView[];
  caps: { accountAsks: CapView; referenceCalls: CapView };
  consents: Consent[];
}

export interface CreateAskResult {
  ask: AskView;
  taskId: string | null;
}

/** An ask the CSM made directly, recorded from the card. */
export interface CsmAskBody {
  askType: AskType;
  contactId: string;
  askedOn: string;
  note?: string | null;
}

export interface OutcomeBody {
  status: AskStatus;
  note?: string | null;
  consent?: { scope: AskType; evidence: string; grantedOn?: string; expiresOn?: string | null } | null;
  feedback?: ReferenceFeedback | null;
}

/** After a reference call: what the advocate and the prospect said. */
export interface ReferenceFeedback {
  advocate?: string;
  prospect?: string;
}

export const MATCH_ATTRIBUTES = ['industry', 'sizeBand', 'region', 'product', 'useCase', 'competitor', 'language'] as const;
export type MatchAttribute = (typeof MATCH_ATTRIBUTES)[number];

export interface ReferenceNeed {
  askType: AskType;
  industry: string | null;
  sizeBand: string | null;
  region: string | null;
  product: string | null;
  useCase: string | null;
  competitor: string | null;
  language: string | null;
  dueOn: string | null;
}

export interface AdvocateMatch {
  contactId: string;
  contactName: string;
  accountId: string;
  accountName: string;
  score: number;
  readiness: number;
  matched: { attribute: MatchAttribute; value: string; weight: number }[];
  lastUsedOn: string | null;
}

export interface MatchResult {
  matches: AdvocateMatch[];
  explanation: string | null;
}

export type RequestStage = 'requested' | 'approved' | 'scheduled' | 'completed' | 'declined';

export interface ReferenceRequestView {
  askId: string;
  status: RequestStage;
  contactId: string | null;
  contactName: string | null;
  accountName: string | null;
  requestedAt: string;
  overdue: boolean;
  overdueReason: string | null;
  outcomeNote: string | null;
  feedback: ReferenceFeedback | null;
}

export interface DealReferencesView {
  prefill: ReferenceNeed;
  requests: ReferenceRequestView[];
}

/** Where an ask may go next (backend/src/domain/ask-lifecycle.ts TRANSITIONS). */
export const ASK_TRANSITIONS: Record<AskStatus, readonly AskStatus[]> = {
  proposed: ['sent', 'cancelled'],
  sent: ['accepted', 'declined', 'no_response', 'cancelled'],
  no_response: ['accepted', 'declined'],
  accepted: ['completed', 'cancelled'],
  declined: [],
  completed: [],
  cancelled: [],
};

/** One month of the program pipeline (backend/src/domain/kpis.ts PipelineMonth). */
export interface PipelineMonth {
  month: string;
  eligible: number;
  asked: number;
  active: number;
  size: number;
  change: number | null;
  sent: number;
  accepted: number;
  activationRate: number | null;
}

export interface ReferenceMonth {
  month: string;
  withReference: { won: number; lost: number; winRate: number | null };
  withoutReference: { won: number; lost: number; winRate: number | null };
  influencedRevenue: number;
  influencedDeals: number;
}

export interface ProgramReport {
  asOf: string;
  months: PipelineMonth[];
  activationRate: { sent: number; accepted: number; rate: number | null };
  acceptanceByAskType: { askType: AskType; sent: number; accepted: number; rate: number | null }[];
  timeToReference: { accounts: number; medianDays: number | null; meanDays: number | null };
  asksByOutcome: Record<AskStatus, number>;
  references: {
    months: ReferenceMonth[];
    influencedRevenue: number;
    winRate: { withReference: number | null; withoutReference: number | null };
    serviceLevels: { csmDecisionBusinessDays: number; fulfilmentBusinessDays: number; requests: number; decided: number; decidedInTime: number; fulfilled: number; fulfilledInTime: number; overdueNow: number };
  } | null;
}

export type CandidateStage = 'proposed' | 'handed_off' | 'waiting';

export interface CandidateView {
  accountId: string;
  accountName: string | null;
  ownerId: string | null;
  ownerName: string | null;
  stage: CandidateStage;
  askId: string | null;
  askType: string | null;
  contactId: string | null;
  contactName: string | null;
  since: string;
  reasons: Reason[];
  csmOwned: boolean;
}

/** GET /hubspot/v1/dashboard */
export interface ProgramDashboardView {
  report: ProgramReport;
  candidates: CandidateView[];
  candidateTotal: number;
  owners: { ownerId: string; name: string }[];
}
