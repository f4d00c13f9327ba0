import type { AskType, IsoDate } from './types';

// The words of reference matching: what a prospect needs, and an advocate as the matcher and
// the rule of who may be asked (reference-eligibility.ts) see them.

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
  dueOn: IsoDate | null;
}

export type Unavailable = { code: 'DO_NOT_CONTACT' | 'NOT_ELIGIBLE' | 'HANDOFF_CONDITION' | 'FATIGUE_CAP' | 'PAUSED_NO_RESPONSE' | 'NO_CONSENT'; detail: string; availableOn: IsoDate | null };

export interface Advocate {
  contactId: string;
  contactName: string;
  accountId: string;
  accountName: string;
  attributes: Record<MatchAttribute, string[]>;
  readiness: number;
  lastUsedOn: IsoDate | null;
  /** Why this advocate cannot be asked for a reference call now; null when it can. */
  unavailable: Unavailable | null;
  /** Ask types this advocate has an active consent for (publishing asks need one). */
  consentedTo: AskType[];
}
