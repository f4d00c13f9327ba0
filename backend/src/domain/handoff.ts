import { askedOn, isOpenOn } from './ask-history';
import { daysBetween, plusDays } from './calendar';
import type { Criteria } from './criteria';
import { accountAskCap } from './fatigue';
import type { AccountSnapshot, IsoDate, Reason } from './types';

// Hand-off conditions: the account passed the gates, but an automatic ask could cost more
// than it returns, so the CSM owns any ask directly. Every condition found is listed.

export const OWNER_MUST_ACT = ['STRATEGIC_ACCOUNT', 'SENSITIVE_RELATIONSHIP'] as const;

export function sensitivityReasons(snapshot: AccountSnapshot, criteria: Criteria, asOf: IsoDate): Reason[] {
  const s = criteria.handoff.sensitivity;
  const { account } = snapshot;
  const reasons: Reason[] = [];
  const code = 'SENSITIVE_RELATIONSHIP';

  if (s.openEscalation && account.openEscalations > 0) {
    reasons.push({ code, detail: `${account.openEscalations} open escalation(s)` });
  }

  if (account.healthScore !== null) {
    const windowStart = plusDays(asOf, -s.healthDropWindowDays);
    const recent = account.healthHistory.filter((p) => p.date >= windowStart && p.date <= asOf);
    const peak = recent.reduce<{ date: IsoDate; score: number } | null>((best, p) => (!best || p.score > best.score ? p : best), null);
    if (peak && peak.score - account.healthScore >= s.healthDropPoints) {
      reasons.push({
        code,
        detail: `health fell ${peak.score - account.healthScore} points (from ${peak.score} on ${peak.date} to ${account.healthScore}) within ${s.healthDropWindowDays} days`,
      });
    }
  }

  if (account.renewalDate && account.renewalDate >= asOf && daysBetween(asOf, account.renewalDate) <= s.renewalWithinDays) {
    reasons.push({ code, detail: `renewal on ${account.renewalDate}, within ${s.renewalWithinDays} days` });
  }

  const detractorSince = plusDays(asOf, -s.detractorWindowDays);
  const detractors = snapshot.npsResponses.filter((r) => r.score <= s.detractorMaxScore && r.date >= detractorSince && r.date <= asOf);
  if (detractors.length > 0) {
    const worst = detractors.reduce((a, b) => (b.score < a.score ? b : a));
    reasons.push({
      code,
      detail: `detractor response (NPS ${worst.score} from contact ${worst.contactId} on ${worst.date}) within ${s.detractorWindowDays} days`,
    });
  }
  return reasons;
}

export function recentAskReasons(snapshot: AccountSnapshot, criteria: Criteria, asOf: IsoDate): Reason[] {
  const reasons: Reason[] = [];
  const code = 'RECENT_ASK_CONFLICT';
  const open = snapshot.asks.filter((a) => isOpenOn(a, asOf));
  for (const ask of open) {
    reasons.push({ code, detail: `open ${ask.askType} ask ${ask.askId} (${ask.status})` });
  }
  const cooldown = criteria.handoff.recentAskCooldownDays;
  const recent = snapshot.asks
    .filter((a) => !open.includes(a))
    .map((a) => ({ ask: a, day: askedOn(a) }))
    .filter((x): x is { ask: typeof x.ask; day: IsoDate } => x.day !== null && x.day <= asOf && daysBetween(x.day, asOf) < cooldown)
    .sort((a, b) => (a.day < b.day ? 1 : -1));
  if (recent.length > 0) {
    const last = recent[0];
    reasons.push({
      code,
      detail: `asked for ${last.ask.askType} on ${last.day}, ${daysBetween(last.day, asOf)} days ago (cooldown ${cooldown} days, until ${plusDays(last.day, cooldown)})`,
    });
  }
  return reasons;
}

export function fatigueReasons(snapshot: AccountSnapshot, criteria: Criteria, asOf: IsoDate): Reason[] {
  const reasons: Reason[] = [];
  const account = accountAskCap(snapshot.asks, criteria, asOf);
  if (account.cappedUntil) {
    reasons.push({
      code: 'FATIGUE_CAP',
      detail: `${account.used} asks to this account in the last 12 months (cap ${account.max}); next ask possible on ${account.cappedUntil}`,
    });
  }
  // The per-contact reference-call cap is not a hand-off: it closes the reference_call rung
  // (choose-ask) and reference requests (reference-advocates), not every ask.
  return reasons;
}

export function handoffReasons(snapshot: AccountSnapshot, criteria: Criteria, asOf: IsoDate): Reason[] {
  const reasons: Reason[] = [];
  if (criteria.handoff.strategicAccount && snapshot.account.strategic) {
    reasons.push({ code: 'STRATEGIC_ACCOUNT', detail: 'the account is flagged strategic: the CSM owns any advocacy ask directly' });
  }
  reasons.push(...sensitivityReasons(snapshot, criteria, asOf));
  reasons.push(...recentAskReasons(snapshot, criteria, asOf));
  reasons.push(...fatigueReasons(snapshot, criteria, asOf));
  return reasons;
}
