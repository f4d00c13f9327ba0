import { snapshotAsOf } from './as-of';
import { daysBetween } from './calendar';
import { chooseAsk, type AskRule, type SkippedAsk } from './choose-ask';
import { approvedTemplate, type Criteria } from './criteria';
import { accountGateReasons, contactGateReasons } from './eligibility';
import { noResponsePauseReason } from './fatigue';
import { handoffReasons, OWNER_MUST_ACT } from './handoff';
import { renderOutreach } from './render-outreach';
import { scoreReadiness, type Readiness } from './score-readiness';
import type { AccountSnapshot, AskType, Contact, Decision, IsoDate, Reason } from './types';

// One account, one date, one decision. Precedence: a failed gate means not_ready (with every
// failed gate); an eligible account with any hand-off condition goes to the CSM (with every
// condition); otherwise the engine proposes an ask.

export interface Proposal {
  askType: AskType;
  rule: AskRule;
  outreach: { subject: string; body: string };
}

export interface Evaluation {
  accountId: string;
  contactId: string | null;
  asOf: IsoDate;
  criteriaVersion: string;
  decision: Decision;
  askType: AskType | null;
  reasons: Reason[];
  readiness: Readiness | null;
  /** The ask the ladder chose (for a hand-off: what the CSM might ask, if anything). */
  proposal: Proposal | null;
  skippedAsks: SkippedAsk[];
  /** True when the hand-off needs the CSM to act (strategic or sensitive), not just to wait. */
  ownerMustAct: boolean;
}

interface Candidate {
  contact: Contact;
  gateReasons: Reason[];
  readiness: Readiness;
}

function bestCandidate(candidates: Candidate[]): Candidate | null {
  let best: Candidate | null = null;
  for (const c of candidates) {
    if (
      !best ||
      c.readiness.score > best.readiness.score ||
      (c.readiness.score === best.readiness.score && c.contact.contactId < best.contact.contactId)
    ) {
      best = c;
    }
  }
  return best;
}

function proposalFor(snapshot: AccountSnapshot, contact: Contact, askType: AskType, rule: AskRule, criteria: Criteria): Proposal {
  // chooseAsk never returns an ask type without an approved template.
  const template = approvedTemplate(criteria, askType)!;
  const ctx = {
    contact: { firstName: contact.firstName, lastName: contact.lastName },
    account: { name: snapshot.account.name },
    csm: { name: snapshot.owner?.name ?? null },
    askType,
    programName: criteria.programName,
  };
  return {
    askType,
    rule,
    outreach: { subject: renderOutreach(template.subject, ctx), body: renderOutreach(template.body, ctx) },
  };
}

export function evaluateAccount(fullSnapshot: AccountSnapshot, criteria: Criteria, asOf: IsoDate): Evaluation {
  const snapshot = snapshotAsOf(fullSnapshot, asOf);
  const base = {
    accountId: snapshot.account.accountId,
    asOf,
    criteriaVersion: criteria.version,
    proposal: null,
    skippedAsks: [] as SkippedAsk[],
    ownerMustAct: false,
  };

  const candidates: Candidate[] = snapshot.contacts.map((contact) => ({
    contact,
    gateReasons: [...contactGateReasons(contact, snapshot.npsResponses, criteria, asOf), ...[noResponsePauseReason(snapshot.asks, contact.contactId, criteria, asOf)].filter((r) => r !== null)],
    readiness: scoreReadiness(snapshot, contact, criteria, asOf),
  }));
  const accountReasons = accountGateReasons(snapshot.account, criteria, asOf);
  const eligible = bestCandidate(candidates.filter((c) => c.gateReasons.length === 0));

  if (accountReasons.length > 0 || !eligible) {
    const shown = bestCandidate(candidates);
    const reasons = [...accountReasons];
    if (!shown) reasons.push({ code: 'NO_CONTACT', detail: 'the account has no contacts to ask' });
    else if (!eligible) reasons.push(...shown.gateReasons);
    return {
      ...base,
      contactId: (eligible ?? shown)?.contact.contactId ?? null,
      decision: 'not_ready',
      askType: null,
      reasons,
      readiness: (eligible ?? shown)?.readiness ?? null,
    };
  }

  const { contact, readiness } = eligible;
  const choice = chooseAsk(snapshot, contact, readiness.score, criteria, asOf);
  const proposal = choice.askType && choice.rule ? proposalFor(snapshot, contact, choice.askType, choice.rule, criteria) : null;
  const handoff = handoffReasons(snapshot, criteria, asOf);
  const common = { ...base, contactId: contact.contactId, readiness, proposal, skippedAsks: choice.skipped, askType: choice.askType };

  if (handoff.length > 0) {
    return {
      ...common,
      decision: 'handoff',
      reasons: handoff,
      ownerMustAct: handoff.some((r) => (OWNER_MUST_ACT as readonly string[]).includes(r.code)),
    };
  }
  if (!proposal) {
    return {
      ...common,
      decision: 'not_ready',
      reasons: [
        { code: 'NO_ASK_AVAILABLE', detail: 'no rung of the ladder is open to this contact' },
        ...choice.skipped.map(({ code, detail }) => ({ code, detail })),
      ],
    };
  }
  return { ...common, decision: 'propose', reasons: [{ code: proposal.rule.kind === 'program_need' ? 'PROGRAM_NEED' : 'LADDER', detail: proposal.rule.detail }] };
}

/** Whether a hand-off should become a CSM task now, or one was raised recently enough. */
export function handoffTaskDue(evaluation: Evaluation, lastHandoffTaskOn: IsoDate | null, criteria: Criteria): boolean {
  if (evaluation.decision !== 'handoff' || !evaluation.ownerMustAct) return false;
  return lastHandoffTaskOn === null || daysBetween(lastHandoffTaskOn, evaluation.asOf) >= criteria.handoff.taskCooldownDays;
}
