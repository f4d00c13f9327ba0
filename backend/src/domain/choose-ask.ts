import { dayOf, plusMonths } from './calendar';
import { revokedConsent } from './consent';
import { approvedTemplate, type Criteria, type ProgramNeed } from './criteria';
import { referenceCallCapReason } from './fatigue';
import { ASK_TYPES, SENIORITIES, type AccountSnapshot, type AskType, type Contact, type IsoDate, type Reason } from './types';

// Picks the ask from the graduated ladder: the lowest rung the contact has not completed,
// that readiness and seniority allow, not declined lately, with an approved template and no
// revoked consent. A matching program need overrides the ladder when its ask is allowed.

export interface SkippedAsk extends Reason {
  askType: AskType;
}

export type AskRule =
  | { kind: 'ladder'; detail: string }
  | { kind: 'program_need'; needId: string; detail: string };

export interface AskChoice {
  askType: AskType | null;
  rule: AskRule | null;
  skipped: SkippedAsk[];
}

/** A reference network member takes calls again and again; fatigue caps pace those. */
const REPEATABLE: readonly AskType[] = ['reference_call'];

function blockers(type: AskType, snapshot: AccountSnapshot, contact: Contact, score: number, criteria: Criteria, asOf: IsoDate, forNeed: boolean): Reason[] {
  const out: Reason[] = [];
  const mine = snapshot.asks.filter((a) => a.askType === type && (a.contactId === contact.contactId || (type === 'logo' && a.status === 'completed')));

  const completed = mine.find((a) => a.status === 'completed');
  if (completed && !(forNeed && REPEATABLE.includes(type))) {
    out.push({ code: 'ALREADY_COMPLETED', detail: `${type} completed on ${dayOf(completed.completedAt ?? completed.proposedAt)}` });
  }
  const min = criteria.ladder.minReadiness[type];
  if (score < min) out.push({ code: 'READINESS_TOO_LOW', detail: `${type} needs readiness ${min}, has ${score}` });

  const minSeniority = criteria.ladder.minSeniority[type];
  if (minSeniority) {
    const need = SENIORITIES.indexOf(minSeniority);
    if (contact.seniority === null || SENIORITIES.indexOf(contact.seniority) < need) {
      out.push({ code: 'SENIORITY_TOO_LOW', detail: `${type} needs a ${minSeniority} or more senior champion, contact is ${contact.seniority ?? 'unknown'}` });
    }
  }

  const declineSince = plusMonths(asOf, -criteria.ladder.declineCooldownMonths);
  const declined = mine.find((a) => a.contactId === contact.contactId && a.declinedAt && dayOf(a.declinedAt) > declineSince);
  if (declined) out.push({ code: 'DECLINED_RECENTLY', detail: `${type} declined on ${dayOf(declined.declinedAt as string)}` });

  // Only reference calls count against the contact's quarterly cap, so only they are held back.
  if (type === 'reference_call') {
    const capped = referenceCallCapReason(snapshot.asks, contact.contactId, criteria, asOf);
    if (capped) out.push(capped);
  }

  if (!approvedTemplate(criteria, type)) out.push({ code: 'TEMPLATE_NOT_APPROVED', detail: `no approved outreach template for ${type}` });

  const revoked = revokedConsent(snapshot.consents, snapshot.account.accountId, contact.contactId, type, asOf);
  if (revoked) out.push({ code: 'CONSENT_REVOKED', detail: `consent for ${type} revoked on ${revoked.revokedOn}` });
  return out;
}

export function needMatches(need: ProgramNeed, snapshot: AccountSnapshot): boolean {
  if (!need.active) return false;
  const a = snapshot.account;
  const s = need.segment;
  const inList = (list: string[] | undefined, value: string | null) =>
    !list || (value !== null && list.some((v) => v.toLowerCase() === value.toLowerCase()));
  return (
    inList(s.industry, a.industry) &&
    inList(s.region, a.region) &&
    inList(s.sizeBand, a.sizeBand) &&
    (!s.product || a.products.some((p) => s.product!.some((v) => v.toLowerCase() === p.toLowerCase())))
  );
}

export function chooseAsk(snapshot: AccountSnapshot, contact: Contact, score: number, criteria: Criteria, asOf: IsoDate): AskChoice {
  const skipped: SkippedAsk[] = [];

  const needs = criteria.programNeeds
    .map((need, order) => ({ need, order }))
    .filter(({ need }) => needMatches(need, snapshot))
    .sort((x, y) => y.need.priority - x.need.priority || x.order - y.order);
  for (const { need } of needs) {
    const blocked = blockers(need.askType, snapshot, contact, score, criteria, asOf, true);
    if (blocked.length === 0) {
      return {
        askType: need.askType,
        rule: { kind: 'program_need', needId: need.id, detail: `program need "${need.id}" (priority ${need.priority}) matches this account's segment` },
        skipped,
      };
    }
    skipped.push(...blocked.map((b) => ({ ...b, askType: need.askType, detail: `program need "${need.id}": ${b.detail}` })));
  }

  for (const type of ASK_TYPES) {
    const blocked = blockers(type, snapshot, contact, score, criteria, asOf, false);
    if (blocked.length === 0) {
      const below = skipped.filter((s) => s.askType !== type && ASK_TYPES.indexOf(s.askType) < ASK_TYPES.indexOf(type));
      return {
        askType: type,
        rule: {
          kind: 'ladder',
          detail: below.length === 0 ? `lowest rung of the ladder: ${type}` : `lowest rung open to this contact: ${type}`,
        },
        skipped,
      };
    }
    skipped.push(...blocked.map((b) => ({ ...b, askType: type })));
  }
  return { askType: null, rule: null, skipped };
}
