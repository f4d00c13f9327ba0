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
  /** The open ask, if one is in flight; the card then shows it instead of a new proposal. */
  openAsk: AskView | null;
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
  consents: Consent[];
}
