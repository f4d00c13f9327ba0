import { statusOn } from './ask-history';
import { dayOf } from './calendar';
import type { AccountSnapshot, Ask, IsoDate } from './types';

const STEP_FIELDS = ['sentAt', 'acceptedAt', 'declinedAt', 'noResponseAt', 'completedAt', 'cancelledAt'] as const;

/** The ask as it stood at the end of `day`: steps taken later are not yet known. */
export function askAsOf(ask: Ask, day: IsoDate): Ask {
  const out: Ask = { ...ask };
  for (const field of STEP_FIELDS) {
    const at = out[field];
    if (at && dayOf(at) > day) out[field] = null;
  }
  out.status = statusOn(out, day) ?? ask.status;
  return out;
}

/**
 * What the CRM knew on `asOf`: later readings, responses and asks are dropped so an
 * evaluation for a past date sees only the past.
 */
export function snapshotAsOf(snapshot: AccountSnapshot, asOf: IsoDate): AccountSnapshot {
  const notAfter = (value: string) => dayOf(value) <= asOf;
  const history = snapshot.account.healthHistory.filter((p) => notAfter(p.date));
  // The current score is only "current" if no reading is dated after asOf; otherwise the
  // score on asOf is the last reading up to that day.
  const rewound = history.length < snapshot.account.healthHistory.length;
  const lastKnown = [...history].sort((a, b) => a.date.localeCompare(b.date)).at(-1);
  return {
    ...snapshot,
    account: { ...snapshot.account, healthHistory: history, healthScore: rewound ? (lastKnown?.score ?? null) : snapshot.account.healthScore },
    npsResponses: snapshot.npsResponses.filter((r) => notAfter(r.date)),
    asks: snapshot.asks.filter((a) => notAfter(a.proposedAt)).map((a) => askAsOf(a, asOf)),
    consents: snapshot.consents
      .filter((c) => notAfter(c.grantedOn))
      .map((c) => (c.revokedOn && c.revokedOn > asOf ? { ...c, revokedOn: null } : c)),
  };
}
