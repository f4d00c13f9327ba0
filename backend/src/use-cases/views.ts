import type { Evaluation } from '../domain/evaluate-account';
import type { AskStatus, AskType, Consent, IsoDate, IsoTimestamp, Seniority } from '../domain/types';

// What the HTTP API (and the CRM cards through it) returns. These shapes are the contract
// between the backend and the cards: change them together.

export interface AskView {
  askId: string;
  accountId: string;
  contactId: string | null;
  contactName: string | null;
  dealId: string | null;
  askType: AskType;
  status: AskStatus;
  proposedAt: IsoTimestamp;
  sentAt: IsoTimestamp | null;
  /** When the ask reached its current status. */
  statusAt: IsoTimestamp;
  taskId: string | null;
  outcomeNote: string | null;
  /** The CSM asked the customer directly and recorded it (not proposed by the engine). */
  csmOwned: boolean;
}

/** The account's ask in progress, as the company card shows it. */
export interface OpenAskView extends AskView {
  /** Days since the ask reached its current step. */
  ageDays: number;
  /** The outcomes the lifecycle allows next. */
  next: AskStatus[];
  /** The rule that chose it (ladder or program need); null for asks the engine did not choose. */
  rule: { kind: string; detail: string } | null;
  /** The outreach text rendered when it was proposed, ready to copy. */
  outreach: { subject: string; body: string } | null;
}

export interface CapView {
  used: number;
  max: number;
  /** First day an ask fits under the cap again, when the cap is reached. */
  availableOn: IsoDate | null;
}

/** GET /api/v1/accounts/:accountId/advocacy */
export interface AccountAdvocacyView {
  account: {
    accountId: string;
    name: string;
    ownerId: string | null;
    ownerName: string | null;
    healthScore: number | null;
    strategic: boolean;
  };
  evaluation: Evaluation;
  /** Names of the readiness signals the CRM has no value for. */
  missingSignals: string[];
  /** The account's contacts, for the CSM's own ask (whom they asked). */
  contacts: Array<{ contactId: string; name: string; doNotContact: boolean }>;
  /**
   * The account's ask in progress (newest open one), if any; the card shows it instead of a
   * new proposal. While it is still proposed, `evaluation` is the decision without it.
   */
  openAsk: OpenAskView | null;
  asks: AskView[];
  consents: Consent[];
}

/** GET /api/v1/contacts/:contactId/advocate */
export interface ContactAdvocateView {
  contact: {
    contactId: string;
    accountId: string;
    name: string;
    title: string | null;
    seniority: Seniority | null;
    doNotContact: boolean;
  };
  latestNps: { score: number; date: IsoDate } | null;
  lastAsk: AskView | null;
  asks: AskView[];
  caps: { accountAsks: CapView; referenceCalls: CapView };
  /** Two asks in a row went unanswered: no ask until this day (the decline cooldown). */
  paused: { until: IsoDate; reason: string } | null;
  consents: Consent[];
}
