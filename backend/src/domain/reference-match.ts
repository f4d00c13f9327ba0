import type { AskType, IsoDate } from './types';

// Matching advocates to a prospect's reference need. An index by attribute value keeps a
// match proportional to the advocates who share something with the need, not to the whole
// base. Availability (caps, hand-offs, consent, do-not-contact, eligibility) is worked out
// when the index is built, so a match only reads it.

export const MATCH_ATTRIBUTES = ['industry', 'sizeBand', 'region', 'product', 'useCase', 'competitor', 'language'] as const;
export type MatchAttribute = (typeof MATCH_ATTRIBUTES)[number];

export const MATCH_WEIGHTS: Record<MatchAttribute, number> = { industry: 30, sizeBand: 20, region: 15, product: 15, useCase: 10, competitor: 5, language: 5 };

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

export type Unavailable = { code: 'DO_NOT_CONTACT' | 'NOT_ELIGIBLE' | 'HANDOFF_CONDITION' | 'FATIGUE_CAP' | 'NO_CONSENT'; detail: string; availableOn: IsoDate | null };

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

export interface AdvocateMatch {
  contactId: string;
  contactName: string;
  accountId: string;
  accountName: string;
  score: number;
  readiness: number;
  matched: Array<{ attribute: MatchAttribute; value: string; weight: number }>;
  lastUsedOn: IsoDate | null;
}

export interface MatchResult {
  matches: AdvocateMatch[];
  /** Set when nothing fits: why, in a sentence a sales rep can act on. */
  explanation: string | null;
}

const norm = (v: string) => v.trim().toLowerCase();
const PUBLISHING: AskType[] = ['quote', 'review', 'logo', 'case_study', 'speaking'];

export class AdvocateIndex {
  private readonly postings = new Map<string, number[]>();

  constructor(readonly advocates: readonly Advocate[]) {
    advocates.forEach((a, i) => {
      for (const attribute of MATCH_ATTRIBUTES) {
        for (const value of a.attributes[attribute]) {
          const key = `${attribute}:${norm(value)}`;
          (this.postings.get(key) ?? this.postings.set(key, []).get(key)!).push(i);
        }
      }
    });
  }

  get size(): number {
    return this.advocates.length;
  }

  match(need: ReferenceNeed, limit = 10): MatchResult {
    const asked = MATCH_ATTRIBUTES.filter((a) => need[a]);
    // Only advocates sharing at least one asked-for value are scored.
    const scores = new Map<number, AdvocateMatch['matched']>();
    for (const attribute of asked) {
      for (const i of this.postings.get(`${attribute}:${norm(need[attribute]!)}`) ?? []) {
        (scores.get(i) ?? scores.set(i, []).get(i)!).push({ attribute, value: need[attribute]!, weight: MATCH_WEIGHTS[attribute] });
      }
    }
    const ranked: AdvocateMatch[] = [];
    const excluded: Array<{ reason: Unavailable; matched: AdvocateMatch['matched'] }> = [];
    for (const [i, matched] of scores) {
      const a = this.advocates[i];
      const reason = unavailableFor(a, need.askType);
      if (reason) {
        excluded.push({ reason, matched });
        continue;
      }
      ranked.push({ contactId: a.contactId, contactName: a.contactName, accountId: a.accountId, accountName: a.accountName, score: matched.reduce((s, m) => s + m.weight, 0), readiness: a.readiness, matched, lastUsedOn: a.lastUsedOn });
    }
    ranked.sort(compareMatches);
    const matches = ranked.slice(0, limit);
    return { matches, explanation: matches.length ? null : explain(asked, need, excluded) };
  }
}

function unavailableFor(a: Advocate, askType: AskType): Unavailable | null {
  if (a.unavailable) return a.unavailable;
  if (PUBLISHING.includes(askType) && !a.consentedTo.includes(askType)) return { code: 'NO_CONSENT', detail: `no consent on file for a ${askType}`, availableOn: null };
  return null;
}

/** Best fit first; among equals the higher readiness; then the advocate used least recently. */
export function compareMatches(x: AdvocateMatch, y: AdvocateMatch): number {
  if (x.score !== y.score) return y.score - x.score;
  if (x.readiness !== y.readiness) return y.readiness - x.readiness;
  const xl = x.lastUsedOn ?? '';
  const yl = y.lastUsedOn ?? '';
  if (xl !== yl) return xl < yl ? -1 : 1; // never used ('') first
  return x.contactId < y.contactId ? -1 : x.contactId > y.contactId ? 1 : 0;
}

const LABEL: Record<MatchAttribute, string> = { industry: 'the industry', sizeBand: 'the size band', region: 'the region', product: 'the product', useCase: 'the use case', competitor: 'the competitor', language: 'the language' };
const WHY: Record<Unavailable['code'], string> = {
  FATIGUE_CAP: 'at their cap',
  HANDOFF_CONDITION: 'held back for their CSM (strategic, sensitive or recently asked)',
  NO_CONSENT: 'without consent for this ask',
  DO_NOT_CONTACT: 'marked do-not-contact',
  NOT_ELIGIBLE: 'not ready to advocate',
};

function explain(asked: MatchAttribute[], need: ReferenceNeed, excluded: Array<{ reason: Unavailable; matched: AdvocateMatch['matched'] }>): string {
  if (asked.length === 0) return 'describe the prospect (industry, size band, region, product...) to find advocates';
  if (excluded.length === 0) return `no advocate fits ${asked.map((a) => `${LABEL[a]} "${need[a]}"`).join(', ')}`;
  const best = asked.reduce((b, a) => (MATCH_WEIGHTS[a] > MATCH_WEIGHTS[b] ? a : b));
  const fitBest = excluded.filter((e) => e.matched.some((m) => m.attribute === best));
  const group = fitBest.length ? fitBest : excluded;
  const byCode = new Map<Unavailable['code'], Unavailable[]>();
  for (const e of group) (byCode.get(e.reason.code) ?? byCode.set(e.reason.code, []).get(e.reason.code)!).push(e.reason);
  const parts = [...byCode.entries()].map(([code, reasons]) => {
    const until = reasons.map((r) => r.availableOn).filter((d): d is string => !!d).sort()[0];
    return `${reasons.length === group.length ? (group.length === 1 ? '' : 'all ') : `${reasons.length} `}${WHY[code]}${until ? ` until ${until}` : ''}`.trim();
  });
  return `${group.length} fit${group.length === 1 ? 's' : ''} ${fitBest.length ? LABEL[best] : 'the need'}, ${parts.join('; ')}`;
}
