import type { Evaluation } from './evaluate-account';
import type { AskType, IsoDate, Owner, Reason } from './types';

// What the program tells a CSM, in the domain's words: a proposal is ready, a hand-off needs
// them, a reference was requested, a request is overdue, a consent behind published content
// was revoked, and the digests. A notice is raised with the decision that calls for it (in the
// same transaction, under its own idempotency key, so it is sent once like a CRM task) and
// delivered later by the notifier (backend/src/notify): no messaging tool appears here.

export const NOTICE_KINDS = ['proposal_ready', 'handoff_needs_you', 'reference_requested', 'request_overdue', 'consent_revoked', 'daily_digest', 'weekly_digest'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** What the recipient can do from the message; each is the same use case a card action calls. */
export const NOTICE_ACTIONS = ['mark_sent', 'snooze', 'not_now', 'approve', 'decline'] as const;
export type NoticeAction = (typeof NOTICE_ACTIONS)[number];

export interface NoticeRecipient {
  /** The CRM owner (CSM) the notice is for. */
  ownerId: string;
  name: string | null;
  /** The owner's CRM email: how the messaging tool finds the person (else the program channel). */
  email: string | null;
}

export interface NoticeContribution {
  signal: string;
  points: number;
  note: string;
}

export interface Notice {
  /** Same key, same notice: it is recorded and delivered once. */
  key: string;
  kind: NoticeKind;
  recipient: NoticeRecipient;
  accountId: string | null;
  accountName: string | null;
  askId: string | null;
  contactId: string | null;
  /** The day it was raised (the CSM's daily cap counts per day). */
  day: IsoDate;
  title: string;
  readiness: { score: number; band: string; top: NoticeContribution[] } | null;
  ask: { askType: AskType; rule: string | null; outreach: { subject: string; body: string } | null } | null;
  reasons: Reason[];
  /** Further lines of text (an overdue reason, a digest's items). */
  lines: string[];
  actions: NoticeAction[];
  /** Not sent before this instant (a snoozed proposal comes back then). */
  notBefore?: string | null;
}

export const ASK_LABELS: Record<AskType, string> = {
  quote: 'Quote',
  review: 'Review',
  reference_call: 'Reference call',
  logo: 'Logo',
  case_study: 'Case study',
  speaking: 'Speaking',
  advisory_board: 'Advisory board',
};

export const recipientOf = (ownerId: string, owner: Owner | null | undefined): NoticeRecipient => ({
  ownerId,
  name: owner && owner.ownerId === ownerId ? owner.name : null,
  email: owner && owner.ownerId === ownerId ? owner.email : null,
});

/** The three signals that earned the most points: "why" in one line each. */
export function topContributions(evaluation: Evaluation, count = 3): NoticeContribution[] {
  return [...(evaluation.readiness?.contributions ?? [])]
    .filter((c) => !c.missing && c.points > 0)
    .sort((a, b) => b.points - a.points || a.signal.localeCompare(b.signal))
    .slice(0, count)
    .map((c) => ({ signal: c.signal, points: Math.round(c.points * 10) / 10, note: c.note }));
}

const readinessOf = (evaluation: Evaluation) => (evaluation.readiness ? { score: evaluation.readiness.score, band: evaluation.readiness.band, top: topContributions(evaluation) } : null);

interface Where {
  recipient: NoticeRecipient;
  accountName: string;
  day: IsoDate;
}

export function proposalNotice(evaluation: Evaluation, askId: string, where: Where): Notice {
  const proposal = evaluation.proposal!;
  return {
    key: `notice:proposal:${askId}`,
    kind: 'proposal_ready',
    recipient: where.recipient,
    accountId: evaluation.accountId,
    accountName: where.accountName,
    askId,
    contactId: evaluation.contactId,
    day: where.day,
    title: `${ASK_LABELS[proposal.askType]} proposed for ${where.accountName}`,
    readiness: readinessOf(evaluation),
    ask: { askType: proposal.askType, rule: proposal.rule.detail, outreach: proposal.outreach },
    reasons: [],
    lines: [],
    actions: ['mark_sent', 'snooze', 'not_now'],
  };
}

export function handoffNotice(evaluation: Evaluation, taskKey: string, where: Where): Notice {
  return {
    key: `notice:handoff:${taskKey}`,
    kind: 'handoff_needs_you',
    recipient: where.recipient,
    accountId: evaluation.accountId,
    accountName: where.accountName,
    askId: null,
    contactId: evaluation.contactId,
    day: where.day,
    title: `${where.accountName} needs you: the program held back`,
    readiness: readinessOf(evaluation),
    ask: evaluation.proposal ? { askType: evaluation.proposal.askType, rule: evaluation.proposal.rule.detail, outreach: null } : null,
    reasons: evaluation.reasons,
    lines: [],
    actions: [],
  };
}

export function referenceRequestedNotice(input: { askId: string; accountId: string; accountName: string | null; contactId: string; contactName: string | null; dealName: string | null; askType: AskType; recipient: NoticeRecipient; day: IsoDate; dueLine: string | null }): Notice {
  return {
    key: `notice:reference:${input.askId}`,
    kind: 'reference_requested',
    recipient: input.recipient,
    accountId: input.accountId,
    accountName: input.accountName,
    askId: input.askId,
    contactId: input.contactId,
    day: input.day,
    title: `Reference requested: ${input.contactName ?? input.contactId} at ${input.accountName ?? input.accountId}`,
    readiness: null,
    ask: { askType: input.askType, rule: null, outreach: null },
    reasons: [],
    lines: [input.dealName ? `For the deal ${input.dealName}.` : null, input.dueLine].filter((l): l is string => !!l),
    actions: ['approve', 'decline'],
  };
}

export function overdueNotice(input: { askId: string; accountId: string; stage: 'decision' | 'fulfilment'; overdue: string; subject: string; recipient: NoticeRecipient; day: IsoDate }): Notice {
  return {
    key: `notice:overdue:${input.askId}:${input.stage}`,
    kind: 'request_overdue',
    recipient: input.recipient,
    accountId: input.accountId,
    accountName: null,
    askId: input.askId,
    contactId: null,
    day: input.day,
    title: `Overdue: ${input.subject}`.slice(0, 150),
    readiness: null,
    ask: null,
    reasons: [],
    lines: [input.stage === 'decision' ? `Please approve or decline this reference request: ${input.overdue}.` : `Please make sure this reference takes place: ${input.overdue}.`],
    actions: input.stage === 'decision' ? ['approve', 'decline'] : [],
  };
}

export function consentRevokedNotice(input: { consentId: string; accountId: string; scope: AskType; revokedOn: IsoDate; publishedAskIds: string[]; recipient: NoticeRecipient }): Notice {
  return {
    key: `notice:consent-revoked:${input.consentId}`,
    kind: 'consent_revoked',
    recipient: input.recipient,
    accountId: input.accountId,
    accountName: null,
    askId: input.publishedAskIds[0] ?? null,
    contactId: null,
    day: input.revokedOn,
    title: `Consent revoked for published content (${ASK_LABELS[input.scope]})`,
    readiness: null,
    ask: null,
    reasons: [],
    lines: [`The customer withdrew consent ${input.consentId} on ${input.revokedOn}. Take down what was published under it: ${input.publishedAskIds.join(', ')}.`],
    actions: [],
  };
}

/** A snoozed proposal, told again when the snooze ends (its own key: once per snooze). */
export function snoozedAgainNotice(original: Notice, until: IsoDate): Notice {
  return { ...original, key: `${original.key}:snoozed:${until}`, day: until, title: `Back from snooze: ${original.title}`, notBefore: `${until}T00:00:00.000Z` };
}

/** One message listing the notices that went past the CSM's daily cap (or waited out quiet hours). */
export function dailyDigestNotice(recipient: NoticeRecipient, day: IsoDate, items: Array<Pick<Notice, 'title'>>): Notice {
  return {
    key: `notice:digest:daily:${recipient.ownerId}:${day}`,
    kind: 'daily_digest',
    recipient,
    accountId: null,
    accountName: null,
    askId: null,
    contactId: null,
    day,
    title: `Advocacy digest for ${day}: ${items.length} more item${items.length === 1 ? '' : 's'}`,
    readiness: null,
    ask: null,
    reasons: [],
    lines: items.map((i) => i.title),
    actions: [],
  };
}

export function weeklyDigestNotice(recipient: NoticeRecipient, week: string, day: IsoDate, open: { proposed: number; sent: number; accepted: number; referenceRequests: number }, lines: string[]): Notice {
  return {
    key: `notice:digest:weekly:${recipient.ownerId}:${week}`,
    kind: 'weekly_digest',
    recipient,
    accountId: null,
    accountName: null,
    askId: null,
    contactId: null,
    day,
    title: `Your advocacy week (${week}): ${open.proposed} proposed, ${open.sent} waiting for an answer, ${open.accepted} accepted, ${open.referenceRequests} reference request(s) open`,
    readiness: null,
    ask: null,
    reasons: [],
    lines,
    actions: [],
  };
}
