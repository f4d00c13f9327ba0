import { advocacyStatus } from '../../../backend/src/domain/advocacy-status';
import { plusDays, plusMonths } from '../../../backend/src/domain/calendar';
import { decisionHoldsUntil, decisionKey, firstDayWhere } from '../../../backend/src/domain/decision-holds';
import { evaluateAccount, handoffTaskDue } from '../../../backend/src/domain/evaluate-account';
import { ASK_TYPES, type AccountSnapshot, type Ask, type AskType, type Consent, type IsoDate } from '../../../backend/src/domain/types';
import { at, buildAccount, buildContact, buildNps, buildSnapshot, defaultCriteria, OWNER, TODAY } from '../../support/builders';

const criteria = defaultCriteria((c) => {
  // Every rung open to a template, and a program need, so the ladder's own rules all take part.
  for (const t of ASK_TYPES) if (c.templates[t]) c.templates[t]!.approved = true;
});

/** mulberry32: a small seeded generator, so a failure names a case that can be rerun. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)],
    chance: (p: number) => next() < p,
  };
}

/** An account near every calendar edge at once: young tenure, ageing NPS, asks in every state, renewals, consents. */
function randomSnapshot(seed: number): AccountSnapshot {
  const r = random(seed);
  const contactIds = Array.from({ length: r.int(1, 3) }, (_, k) => `con-${k + 1}`);
  const contacts = contactIds.map((contactId) =>
    buildContact({ contactId, seniority: r.pick(['individual', 'manager', 'director', 'vp', 'c_level'] as const), doNotContact: r.chance(0.05) }),
  );
  const npsResponses = contactIds.flatMap((contactId) =>
    Array.from({ length: r.int(0, 2) }, () => buildNps({ contactId, date: plusDays(TODAY, -r.int(-20, 420)), score: r.pick([3, 6, 8, 9, 10, 10]) })),
  );
  const asks: Ask[] = Array.from({ length: r.int(0, 5) }, (_, k) => {
    const proposed = -r.int(-10, 500);
    const sent = r.chance(0.85) ? proposed + r.int(0, 5) : null;
    const outcome = sent === null ? null : r.pick(['accepted', 'declined', 'no_response', 'completed', 'open'] as const);
    const answeredDay = sent === null ? 0 : sent + r.int(1, 30);
    const step = (kind: string) => (outcome === kind ? at(TODAY, answeredDay) : null);
    const completed = outcome === 'completed' ? at(TODAY, answeredDay + r.int(0, 20)) : null;
    const status = outcome === null ? 'proposed' : outcome === 'open' ? 'sent' : outcome;
    return {
      askId: `ask-${k}`,
      accountId: 'acc-1',
      contactId: r.pick(contactIds),
      dealId: null,
      askType: r.pick(['quote', 'review', 'reference_call', 'reference_call', 'logo', 'case_study'] as AskType[]),
      status,
      proposedAt: at(TODAY, proposed),
      sentAt: sent === null ? null : at(TODAY, sent),
      acceptedAt: outcome === 'accepted' || outcome === 'completed' ? at(TODAY, answeredDay) : null,
      declinedAt: step('declined'),
      noResponseAt: step('no_response'),
      completedAt: completed,
      cancelledAt: null,
    };
  });
  const consents: Consent[] = r.chance(0.4)
    ? [{ consentId: 'consent-1', accountId: 'acc-1', contactId: r.pick(contactIds), scope: r.pick(['quote', 'logo', 'review'] as AskType[]), grantedOn: plusDays(TODAY, -r.int(-5, 300)), evidence: 'e', expiresOn: r.chance(0.5) ? plusDays(TODAY, r.int(-5, 200)) : null, revokedOn: r.chance(0.3) ? plusDays(TODAY, r.int(-30, 60)) : null }]
    : [];
  for (const c of consents) {
    if (c.expiresOn && c.expiresOn < c.grantedOn) c.expiresOn = c.grantedOn;
    if (c.revokedOn && c.revokedOn < c.grantedOn) c.revokedOn = c.grantedOn;
  }
  return {
    account: buildAccount({
      healthScore: r.int(70, 100),
      healthHistory: Array.from({ length: r.int(0, 3) }, () => ({ date: plusDays(TODAY, -r.int(-10, 60)), score: r.int(70, 100) })),
      customerSince: plusDays(TODAY, -r.int(0, 800)),
      strategic: r.chance(0.15),
      openEscalations: r.chance(0.1) ? 1 : 0,
      renewalDate: r.chance(0.8) ? plusDays(TODAY, r.int(-30, 200)) : null,
      usageDepth: r.int(0, 100),
      csat: r.pick([3, 4, 4.5, 5]),
      engagement: r.int(0, 100),
    }),
    contacts,
    npsResponses,
    owner: OWNER,
    asks,
    consents,
  };
}

const HORIZON = 400;

/** The day the held state first differs from `asOf`'s, within the horizon (null: never). */
function firstChange(snapshot: AccountSnapshot, asOf: IsoDate, lastHandoff: IsoDate | null): { day: IsoDate; was: string; now: string } | null {
  const state = (day: IsoDate, last: IsoDate | null) => {
    const e = evaluateAccount(snapshot, criteria, day);
    return `${decisionKey(e)}|${advocacyStatus(e, snapshot.asks, day)}|${handoffTaskDue(e, last, criteria)}`;
  };
  const first = evaluateAccount(snapshot, criteria, asOf);
  // The scan raises a due hand-off task on its day; the days after see that task.
  const afterToday = handoffTaskDue(first, lastHandoff, criteria) ? asOf : lastHandoff;
  const was = state(asOf, afterToday);
  for (let i = 1; i <= HORIZON; i++) {
    const day = plusDays(asOf, i);
    const now = state(day, afterToday);
    if (now !== was) return { day, was, now };
  }
  return null;
}

describe('until when a decision holds', () => {
  test('when any generated account is evaluated on every day before its holdsUntil, then the decision, band, reasons, written-back status and hand-off task are the same as on the first day', () => {
    let bounded = 0;
    const missed: unknown[] = [];
    for (let seed = 1; seed <= 220; seed++) {
      const snapshot = randomSnapshot(seed);
      const lastHandoff = seed % 3 === 0 ? plusDays(TODAY, -seed % 40) : null;
      const evaluation = evaluateAccount(snapshot, criteria, TODAY);
      const holds = decisionHoldsUntil(snapshot, criteria, TODAY, evaluation, { lastHandoffTaskOn: lastHandoff });
      const change = firstChange(snapshot, TODAY, lastHandoff);
      if (holds !== null) {
        expect(holds > TODAY).toBe(true);
        bounded++;
      }
      // holdsUntil must not be after the first day something changes.
      if (change && (holds === null || holds > change.day)) missed.push({ seed, holds, changesOn: change.day, was: change.was, now: change.now });
    }
    expect(missed).toEqual([]);
    // The generator reaches the calendar rules: most accounts have some date ahead.
    expect(bounded).toBeGreaterThan(150);
  });

  test('when a customer is younger than the tenure gate, then the decision holds until the day after the anniversary', () => {
    const snapshot = buildSnapshot({ account: { customerSince: '2026-07-10' } });
    const e = evaluateAccount(snapshot, criteria, TODAY);
    expect(e.reasons.map((r) => r.code)).toContain('TENURE_TOO_SHORT');
    const holds = decisionHoldsUntil(snapshot, criteria, TODAY, e);
    expect(holds).toBe(plusDays(plusMonths('2026-07-10', criteria.eligibility.minTenureMonths), 1));
    expect(evaluateAccount(snapshot, criteria, plusDays(holds!, -1)).reasons.map((r) => r.code)).toContain('TENURE_TOO_SHORT');
    expect(evaluateAccount(snapshot, criteria, holds!).reasons.map((r) => r.code)).not.toContain('TENURE_TOO_SHORT');
  });

  test('when the latest NPS is eleven months old, then the decision holds until the day it turns stale', () => {
    const snapshot = buildSnapshot({ account: { customerSince: '2020-01-01', renewalDate: null }, npsResponses: [buildNps({ date: '2025-12-20' })] });
    const e = evaluateAccount(snapshot, criteria, TODAY);
    expect(e.decision).toBe('propose');
    const holds = decisionHoldsUntil(snapshot, criteria, TODAY, e);
    expect(holds).toBe('2026-12-21');
    expect(evaluateAccount(snapshot, criteria, holds!).reasons.map((r) => r.code)).toContain('NPS_STALE');
  });

  test('when the renewal is 70 days away, then the decision holds until it enters the 60-day window', () => {
    const renewal = plusDays(TODAY, 70);
    const snapshot = buildSnapshot({ account: { customerSince: '2020-01-01', renewalDate: renewal }, npsResponses: [buildNps({ date: '2026-11-01' })] });
    const e = evaluateAccount(snapshot, criteria, TODAY);
    expect(e.decision).toBe('propose');
    expect(decisionHoldsUntil(snapshot, criteria, TODAY, e)).toBe(plusDays(renewal, -criteria.handoff.sensitivity.renewalWithinDays));
  });

  test('when a consent expires, then the decision is looked at again the day after', () => {
    const snapshot = buildSnapshot({
      account: { customerSince: '2020-01-01', renewalDate: null },
      npsResponses: [buildNps({ date: '2026-11-01' })],
      consents: [{ consentId: 'c1', accountId: 'acc-1', contactId: 'con-1', scope: 'quote', grantedOn: '2026-01-01', evidence: 'e', expiresOn: '2026-12-05', revokedOn: null }],
    });
    expect(decisionHoldsUntil(snapshot, criteria, TODAY, evaluateAccount(snapshot, criteria, TODAY))).toBe('2026-12-06');
  });

  test('when nothing in the data has a date ahead, then the decision holds with no end', () => {
    const snapshot = buildSnapshot({ account: { customerSince: '2020-01-01', renewalDate: null }, npsResponses: [] });
    const e = evaluateAccount(snapshot, criteria, TODAY);
    expect(e.reasons.map((r) => r.code)).toEqual(['NPS_MISSING']);
    expect(decisionHoldsUntil(snapshot, criteria, TODAY, e)).toBeNull();
  });

  test('when a monotone rule is searched, then firstDayWhere finds its first day or says never', () => {
    expect(firstDayWhere('2026-01-01', (d) => d >= '2026-03-17')).toBe('2026-03-17');
    expect(firstDayWhere('2026-01-01', () => true)).toBe('2026-01-01');
    expect(firstDayWhere('2026-01-01', () => false)).toBeNull();
  });
});
