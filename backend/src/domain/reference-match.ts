import { isDealsOwnCompany, advocateUnavailableFor } from './reference-eligibility';
import { MATCH_ATTRIBUTES, type Advocate, type MatchAttribute, type ReferenceNeed, type Unavailable } from './reference-types';
import type { IsoDate } from './types';

// Matching advocates to a prospect's reference need. An index by attribute value keeps a
// match proportional to the advocates who share something with the need, not to the whole
// base. Availability (caps, hand-offs, consent, do-not-contact, eligibility) is worked out
// when the index is built, so a match only reads it.

export { MATCH_ATTRIBUTES, type Advocate, type MatchAttribute, type ReferenceNeed, type Unavailable } from './reference-types';

export const MATCH_WEIGHTS: Record<MatchAttribute, number> = { industry: 30, sizeBand: 20, region: 15, product: 15, useCase: 10, competitor: 5, language: 5 };

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

// Single-valued attributes form a bucket key: an org has few distinct (industry, size band,
// region) combinations however many advocates it has, so a match visits buckets, best
// first, and stops as soon as nothing left can beat the current top results.
const BUCKET_ATTRIBUTES = ['industry', 'sizeBand', 'region'] as const;
const BONUS_ATTRIBUTES = ['product', 'useCase', 'competitor', 'language'] as const;

interface Bucket {
  values: Record<(typeof BUCKET_ATTRIBUTES)[number], string | null>;
  /** Available advocates in ranking order (readiness, then least recently used). */
  all: number[];
  /** The same, per product they use. */
  byProduct: Map<string, number[]>;
}

const tieOrder = (advocates: readonly Advocate[]) => (i: number, j: number) => {
  const a = advocates[i];
  const b = advocates[j];
  if (a.readiness !== b.readiness) return b.readiness - a.readiness;
  const al = a.lastUsedOn ?? '';
  const bl = b.lastUsedOn ?? '';
  if (al !== bl) return al < bl ? -1 : 1;
  return a.contactId < b.contactId ? -1 : a.contactId > b.contactId ? 1 : 0;
};

export class AdvocateIndex {
  private readonly postings = new Map<string, number[]>();
  private readonly buckets: Bucket[] = [];

  constructor(readonly advocates: readonly Advocate[]) {
    const byKey = new Map<string, Bucket>();
    advocates.forEach((a, i) => {
      for (const attribute of MATCH_ATTRIBUTES) {
        for (const value of a.attributes[attribute]) {
          const key = `${attribute}:${norm(value)}`;
          (this.postings.get(key) ?? this.postings.set(key, []).get(key)!).push(i);
        }
      }
      if (a.unavailable) return;
      const values = Object.fromEntries(BUCKET_ATTRIBUTES.map((k) => [k, a.attributes[k][0] ? norm(a.attributes[k][0]) : null])) as Bucket['values'];
      const key = JSON.stringify(values);
      let bucket = byKey.get(key);
      if (!bucket) byKey.set(key, (bucket = { values, all: [], byProduct: new Map() }));
      bucket.all.push(i);
      for (const p of a.attributes.product) {
        const k = norm(p);
        (bucket.byProduct.get(k) ?? bucket.byProduct.set(k, []).get(k)!).push(i);
      }
    });
    const order = tieOrder(advocates);
    for (const b of byKey.values()) {
      b.all.sort(order);
      for (const list of b.byProduct.values()) list.sort(order);
      this.buckets.push(b);
    }
  }

  get size(): number {
    return this.advocates.length;
  }

  /** `excludeAccountId`: the deal's own company, which cannot be its own reference. */
  match(need: ReferenceNeed, limit = 10, options: { excludeAccountId?: string | null } = {}): MatchResult {
    const asked = MATCH_ATTRIBUTES.filter((a) => need[a]);
    if (asked.length === 0) return { matches: [], explanation: explain(asked, need, []) };
    const top: AdvocateMatch[] = [];
    const worst = () => top[top.length - 1];
    const full = () => top.length >= limit;
    // Nothing scored at or below the floor can enter a full top list.
    const beaten = (upper: number, readiness: number) => full() && (upper < worst().score || (upper === worst().score && readiness < worst().readiness));
    const seen = new Set<number>();
    const consider = (i: number, base: number, bucketMatched: AdvocateMatch['matched']) => {
      if (seen.has(i)) return;
      seen.add(i);
      const a = this.advocates[i];
      if (isDealsOwnCompany(a, options.excludeAccountId) || advocateUnavailableFor(a, need.askType)) return;
      const matched = [...bucketMatched];
      for (const attribute of BONUS_ATTRIBUTES) {
        const want = need[attribute];
        if (want && a.attributes[attribute].some((v) => norm(v) === norm(want))) matched.push({ attribute, value: want, weight: MATCH_WEIGHTS[attribute] });
      }
      if (matched.length === 0) return;
      const m: AdvocateMatch = { contactId: a.contactId, contactName: a.contactName, accountId: a.accountId, accountName: a.accountName, score: base + matched.slice(bucketMatched.length).reduce((s, x) => s + x.weight, 0), readiness: a.readiness, matched, lastUsedOn: a.lastUsedOn };
      if (full() && compareMatches(m, worst()) >= 0) return;
      top.push(m);
      top.sort(compareMatches);
      if (top.length > limit) top.pop();
    };
    const bonusMax = BONUS_ATTRIBUTES.filter((a) => need[a]).reduce((s, a) => s + MATCH_WEIGHTS[a], 0);
    const productBonus = need.product ? MATCH_WEIGHTS.product : 0;
    const otherBonus = bonusMax - productBonus;
    const scored = this.buckets
      .map((b) => {
        const matched = BUCKET_ATTRIBUTES.filter((k) => need[k] && b.values[k] === norm(need[k]!)).map((k) => ({ attribute: k as MatchAttribute, value: need[k]!, weight: MATCH_WEIGHTS[k] }));
        return { b, matched, base: matched.reduce((s, m) => s + m.weight, 0) };
      })
      .sort((x, y) => y.base - x.base);
    for (const { b, matched, base } of scored) {
      if (full() && base + bonusMax < worst().score) break;
      // First those with the asked-for product (they score higher), then the rest.
      const streams: Array<{ list: number[]; upper: number }> = [];
      if (need.product) streams.push({ list: b.byProduct.get(norm(need.product)) ?? [], upper: base + productBonus + otherBonus });
      streams.push({ list: b.all, upper: base + otherBonus + (need.product ? 0 : 0) });
      for (const { list, upper } of streams) {
        for (const i of list) {
          if (beaten(upper, this.advocates[i].readiness)) break;
          consider(i, base, matched);
        }
      }
    }
    if (top.length) return { matches: top, explanation: null };
    return { matches: [], explanation: this.explainEmpty(asked, need) };
  }

  /** Only when nothing fits: who would have, and why not (this path may read every posting). */
  private explainEmpty(asked: MatchAttribute[], need: ReferenceNeed): string {
    const scores = new Map<number, AdvocateMatch['matched']>();
    for (const attribute of asked) {
      for (const i of this.postings.get(`${attribute}:${norm(need[attribute]!)}`) ?? []) {
        (scores.get(i) ?? scores.set(i, []).get(i)!).push({ attribute, value: need[attribute]!, weight: MATCH_WEIGHTS[attribute] });
      }
    }
    const excluded: Array<{ reason: Unavailable; matched: AdvocateMatch['matched'] }> = [];
    for (const [i, matched] of scores) {
      const reason = advocateUnavailableFor(this.advocates[i], need.askType);
      if (reason) excluded.push({ reason, matched });
    }
    return explain(asked, need, excluded);
  }
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
  PAUSED_NO_RESPONSE: 'paused after two unanswered asks',
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
