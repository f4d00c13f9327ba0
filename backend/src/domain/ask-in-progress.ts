import { isOpenOn } from './ask-history';
import { daysBetween, dayOf } from './calendar';
import type { Criteria } from './criteria';
import { evaluateAccount, type Evaluation } from './evaluate-account';
import { TRANSITIONS } from './ask-lifecycle';
import type { AccountSnapshot, Ask, AskStatus, IsoDate } from './types';

// What a CSM looks at on the account: the ask already in progress, and the decision as it
// stands beside it. An account's own open proposal is that decision being carried out, not
// a conflict with itself: the scan proposed it, and nobody has asked the customer yet. So
// while the newest open account ask is still `proposed`, the account is judged without it
// (it was judged that way when it was proposed). Once it is sent the customer has been asked:
// from then on any other ask really would conflict with it, and the evaluation says so.

export interface AskInProgress<A extends Ask = Ask> {
  ask: A;
  /** Days since the ask reached its current step (for a sent ask: how long we have waited). */
  ageDays: number;
  /** The outcomes the lifecycle allows next. */
  next: readonly AskStatus[];
}

export interface AccountDecision<A extends Ask> {
  evaluation: Evaluation;
  inProgress: AskInProgress<A> | null;
}

/** The newest account ask (not a deal's reference request) open at the end of `day`. */
export function accountAskInProgress<A extends Ask>(asks: A[], day: IsoDate): A | null {
  return asks.filter((a) => a.dealId === null && isOpenOn(a, day)).sort((a, b) => b.proposedAt.localeCompare(a.proposedAt))[0] ?? null;
}

function stepAt(ask: Ask): string {
  const steps = [ask.proposedAt, ask.sentAt, ask.acceptedAt, ask.declinedAt, ask.noResponseAt, ask.completedAt, ask.cancelledAt].filter((s): s is string => !!s);
  return steps.sort().at(-1) ?? ask.proposedAt;
}

export function decideBesideAskInProgress<A extends Ask>(snapshot: AccountSnapshot & { asks: A[] }, criteria: Criteria, asOf: IsoDate): AccountDecision<A> {
  const ask = accountAskInProgress(snapshot.asks, asOf);
  const judged = ask && ask.status === 'proposed' ? { ...snapshot, asks: snapshot.asks.filter((a) => a.askId !== ask.askId) } : snapshot;
  const evaluation = evaluateAccount(judged, criteria, asOf);
  if (!ask) return { evaluation, inProgress: null };
  const since = dayOf(stepAt(ask));
  return { evaluation, inProgress: { ask, ageDays: since <= asOf ? daysBetween(since, asOf) : 0, next: TRANSITIONS[ask.status] } };
}
