import { createHash } from 'node:crypto';
import type { AppContext } from '../app-context';
import type { CrmTask, Deal } from '../crm/port';
import { DomainError } from '../domain/errors';
import { advocateUnavailableFor, MATCH_ATTRIBUTES, type MatchResult, type ReferenceNeed } from '../domain/reference-match';
import { overdue, plusBusinessDays, REQUEST_STAGE, type RequestStage, type ServiceLevels } from '../domain/service-levels';
import type { AskStatus } from '../domain/types';
import { relayOutbox } from '../jobs/relay-outbox';
import { appendAudit } from '../store/audit-log';
import { getAsk, insertAsks, listAsks, type StoredAsk } from '../store/asks-repo';
import { enqueue } from '../store/outbox';
import { advocateIndex, advocatesOfAccounts, refreshAdvocates } from './advocate-cache';
import { today } from './load-snapshot';

// Reference requests from a deal: match advocates, and hand the chosen one's CSM a task to
// approve or decline. The CSM, not the rep, contacts the customer.

export interface ReferenceRequestView {
  askId: string;
  status: RequestStage;
  contactId: string | null;
  contactName: string | null;
  accountName: string | null;
  requestedAt: string;
  overdue: boolean;
  overdueReason: string | null;
  /** The outcome note and, after the call, what the advocate and the prospect said. */
  outcomeNote: string | null;
  feedback: { advocate?: string; prospect?: string } | null;
}

async function dealOrFail(ctx: AppContext, portalId: string, dealId: string): Promise<Deal> {
  const deal = await ctx.crmFor(portalId).getDeal(dealId);
  if (!deal) throw new DomainError('DEAL_NOT_FOUND', `no deal ${dealId} in this portal`, { dealId });
  return deal;
}

export function prefill(deal: Deal): ReferenceNeed {
  return { askType: 'reference_call', industry: deal.industry, sizeBand: deal.sizeBand, region: deal.region, product: deal.products[0] ?? null, useCase: null, competitor: null, language: null, dueOn: null };
}

/** What the deal and its company say the prospect needs (the form's starting point). */
export async function prefillForDeal(ctx: AppContext, portalId: string, dealId: string): Promise<ReferenceNeed> {
  return prefill(await dealOrFail(ctx, portalId, dealId));
}

export async function matchForDeal(ctx: AppContext, portalId: string, dealId: string, need: ReferenceNeed): Promise<MatchResult> {
  const deal = await dealOrFail(ctx, portalId, dealId);
  return (await advocateIndex(ctx, portalId)).match(need, 10, { excludeAccountId: deal.accountId });
}

function toView(ask: StoredAsk, day: string, levels: ServiceLevels): ReferenceRequestView {
  const stage = REQUEST_STAGE[ask.status];
  const reason = overdue(stage, ask.proposedAt, day, levels);
  return {
    askId: ask.askId,
    status: stage,
    contactId: ask.contactId,
    // Kept on the ask when it was requested: the list needs no CRM read per request.
    contactName: (ask.details.contactName as string) ?? null,
    accountName: (ask.details.accountName as string) ?? null,
    requestedAt: ask.proposedAt,
    overdue: reason !== null,
    overdueReason: reason,
    outcomeNote: ask.outcomeNote,
    feedback: (ask.details.feedback as ReferenceRequestView['feedback']) ?? null,
  };
}

export async function requestsForDeal(ctx: AppContext, portalId: string, dealId: string): Promise<{ prefill: ReferenceNeed; requests: ReferenceRequestView[] }> {
  const deal = await dealOrFail(ctx, portalId, dealId);
  const asks = await listAsks(ctx.db, portalId, { dealId, limit: 200 });
  const day = today(ctx);
  return {
    prefill: prefill(deal),
    requests: asks.map((a) => toView(a, day, ctx.criteria.referenceServiceLevels)),
  };
}

const OPEN: AskStatus[] = ['proposed', 'sent', 'accepted'];

export async function requestReference(ctx: AppContext, portalId: string, dealId: string, need: ReferenceNeed, contactId: string, actor: string): Promise<ReferenceRequestView> {
  const deal = await dealOrFail(ctx, portalId, dealId);
  const day = today(ctx);
  // The same request again is the same request while it is open; after a decline or a
  // cancellation the rep may ask again, as a new request.
  const earlier = (await listAsks(ctx.db, portalId, { dealId, contactId, limit: 200 })).filter((a) => a.askType === need.askType);
  const open = earlier.find((a) => OPEN.includes(a.status));
  if (open) return toView(open, day, ctx.criteria.referenceServiceLevels);
  const attempt = earlier.length === 0 ? '' : `\u0000${earlier.length + 1}`;
  const askId = `ask-${createHash('sha256').update(`${portalId}\u0000ref\u0000${dealId}\u0000${contactId}\u0000${need.askType}${attempt}`).digest('hex').slice(0, 16)}`;

  const cachedAdvocate = (await advocateIndex(ctx, portalId)).advocates.find((a) => a.contactId === contactId);
  if (!cachedAdvocate) throw new DomainError('NO_ADVOCATE', `contact ${contactId} is not an advocate in this portal`, { contactId });
  if (cachedAdvocate.accountId === deal.accountId) throw new DomainError('NO_ADVOCATE', `contact ${contactId} works at the deal's own company, which cannot be its own reference`, { contactId });
  // The cached index is for ranking; the decision to ask someone is made on fresh data: the
  // account as the CRM has it now, and its asks and consents as stored now.
  const signals = await ctx.crmFor(portalId).getAccount(cachedAdvocate.accountId);
  if (!signals) throw new DomainError('NO_ADVOCATE', `the advocate's account ${cachedAdvocate.accountId} is no longer in the CRM`, { contactId });
  const advocate = (await advocatesOfAccounts(ctx, portalId, [signals])).get(cachedAdvocate.accountId)?.find((a) => a.contactId === contactId);
  if (!advocate) throw new DomainError('NO_ADVOCATE', `contact ${contactId} is no longer at ${signals.account.name}`, { contactId });
  const unavailable = advocateUnavailableFor(advocate, need.askType);
  if (unavailable) throw new DomainError('NO_ADVOCATE', `contact ${contactId} cannot be asked for this reference now: ${unavailable.detail}`, { contactId, unavailable });
  if (!MATCH_ATTRIBUTES.some((k) => need[k] && advocate.attributes[k].some((v) => v.trim().toLowerCase() === need[k]!.trim().toLowerCase()))) {
    throw new DomainError('NO_ADVOCATE', `contact ${contactId} shares nothing with this need`, { contactId });
  }
  const ownerId = signals.account.ownerId;
  if (!ownerId) throw new DomainError('NO_ADVOCATE', `the advocate's account has no owning CSM to approve the request`, { accountId: advocate.accountId });

  const nowIso = ctx.now().toISOString();
  const ask: StoredAsk = {
    askId, accountId: advocate.accountId, contactId, dealId, askType: need.askType, status: 'proposed', proposedAt: nowIso,
    sentAt: null, acceptedAt: null, declinedAt: null, noResponseAt: null, completedAt: null, cancelledAt: null,
    source: 'reference', runKey: null, taskId: null, crmAskId: null, outcomeNote: null, criteriaVersion: ctx.criteria.version, readinessScore: advocate.readiness,
    details: { need, requestedBy: actor, contactName: advocate.contactName, accountName: advocate.accountName },
  };
  const task: CrmTask = {
    idempotencyKey: `task:${askId}`,
    kind: 'reference_request',
    ownerId,
    accountId: advocate.accountId,
    contactId,
    dealId,
    subject: `Reference request: ${advocate.contactName} (${advocate.accountName}) for a ${need.askType.replace('_', ' ')}`,
    body: [
      `A sales rep asks for ${advocate.contactName} at ${advocate.accountName} as a ${need.askType.replace('_', ' ')} reference.`,
      `Prospect: ${[need.industry, need.sizeBand, need.region, need.product, need.useCase, need.competitor && `replacing ${need.competitor}`, need.language].filter(Boolean).join(', ') || 'not described'}.`,
      need.dueOn ? `Needed by ${need.dueOn}.` : '',
      `Approve and reach out yourself (record the outcome as sent), or decline it (record it as cancelled, with your reason as the note). Please decide within ${ctx.criteria.referenceServiceLevels.csmDecisionBusinessDays} business days.`,
    ].filter(Boolean).join('\n'),
    dueOn: plusBusinessDays(day, ctx.criteria.referenceServiceLevels.csmDecisionBusinessDays),
  };
  await ctx.db.transaction(async (tx) => {
    if ((await insertAsks(tx, portalId, [ask])).length === 0) return;
    await enqueue(tx, portalId, [
      { idempotencyKey: task.idempotencyKey, kind: 'reference_task', accountId: advocate.accountId, askId, payload: task, createdOn: day },
      { idempotencyKey: `mirror:${askId}:proposed`, kind: 'ask_mirror', accountId: advocate.accountId, askId, payload: { askId }, createdOn: day },
    ]);
    await appendAudit(tx, portalId, [{ actor, action: 'reference.requested', entityType: 'ask', entityId: askId, accountId: advocate.accountId, criteriaVersion: ctx.criteria.version, before: null, after: { dealId, contactId, need } }], nowIso);
  });
  await refreshAdvocates(ctx, portalId, advocate.accountId);
  await relayOutbox({ db: ctx.db, crm: ctx.crmFor(portalId), portalId, now: ctx.now }, { onlyKeys: [task.idempotencyKey, `mirror:${askId}:proposed`] });
  return toView((await getAsk(ctx.db, portalId, askId))!, day, ctx.criteria.referenceServiceLevels);
}
