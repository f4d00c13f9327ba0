import type { AppContext } from './context';
import type { CrmTask, Deal } from '../crm/port';
import { askIdOf, mirrorWrite, taskWrite, type PlannedAsk } from '../domain/decision-plan';
import { recipientOf, referenceRequestedNotice } from '../domain/notices';
import { DomainError } from '../domain/errors';
import { askDetails, referenceRequestDetails, type ReferenceFeedback } from '../domain/ask-details';
import { composeReferenceTask } from '../domain/compose-task';
import { referenceCheck, type ReferenceRefusal } from '../domain/reference-eligibility';
import type { MatchResult, ReferenceNeed } from '../domain/reference-match';
import { overdue, REQUEST_STAGE, type RequestStage, type ServiceLevels } from '../domain/service-levels';
import type { AskStatus } from '../domain/types';
import type { StoredAsk } from '../store/store-port';
import { advocateIndex, advocatesOfAccounts } from './advocate-cache';
import { applyDecision, applyDepsOf } from './apply-decision';
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
  feedback: ReferenceFeedback | null;
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
  // Kept on the ask when it was requested: the list needs no CRM read per request.
  const details = askDetails(ask.details);
  return {
    askId: ask.askId,
    status: stage,
    contactId: ask.contactId,
    contactName: details.contactName,
    accountName: details.accountName,
    requestedAt: ask.proposedAt,
    overdue: reason !== null,
    overdueReason: reason,
    outcomeNote: ask.outcomeNote,
    feedback: details.feedback,
  };
}

export async function requestsForDeal(ctx: AppContext, portalId: string, dealId: string): Promise<{ prefill: ReferenceNeed; requests: ReferenceRequestView[] }> {
  const deal = await dealOrFail(ctx, portalId, dealId);
  const asks = await ctx.store.asks.list(portalId, { dealId, limit: 200 });
  const day = today(ctx);
  return {
    prefill: prefill(deal),
    requests: asks.map((a) => toView(a, day, ctx.criteria.referenceServiceLevels)),
  };
}

const OPEN: AskStatus[] = ['proposed', 'sent', 'accepted'];

const noAdvocate = (refusal: ReferenceRefusal) => new DomainError('NO_ADVOCATE', refusal.message, refusal.details);

export async function requestReference(ctx: AppContext, portalId: string, dealId: string, need: ReferenceNeed, contactId: string, actor: string): Promise<ReferenceRequestView> {
  const deal = await dealOrFail(ctx, portalId, dealId);
  const day = today(ctx);
  // The same request again is the same request while it is open; after a decline or a
  // cancellation the rep may ask again, as a new request.
  const earlier = (await ctx.store.asks.list(portalId, { dealId, contactId, limit: 200 })).filter((a) => a.askType === need.askType);
  const open = earlier.find((a) => OPEN.includes(a.status));
  if (open) return toView(open, day, ctx.criteria.referenceServiceLevels);
  const attempt = earlier.length === 0 ? [] : [String(earlier.length + 1)];
  const askId = askIdOf(portalId, 'ref', dealId, contactId, need.askType, ...attempt);

  // The index is for ranking and for what it can tell at once; the decision to ask someone is
  // made on fresh data: the account as the CRM has it now, and its asks and consents as stored now.
  const indexed = (await advocateIndex(ctx, portalId)).advocates.find((a) => a.contactId === contactId);
  const onIndex = referenceCheck({ contactId, indexed }, need, deal.accountId);
  if ('refused' in onIndex) throw noAdvocate(onIndex.refused);
  const accountId = onIndex.readFresh.accountId;
  const signals = await ctx.crmFor(portalId).getAccount(accountId);
  const fresh = signals ? (await advocatesOfAccounts(ctx, portalId, [signals])).get(accountId)?.find((a) => a.contactId === contactId) : undefined;
  const checked = referenceCheck({ contactId, indexed, fresh: { account: signals?.account ?? null, advocate: fresh } }, need, deal.accountId);
  if ('refused' in checked) throw noAdvocate(checked.refused);
  const { advocate, ownerId } = checked;

  const nowIso = ctx.now().toISOString();
  const ask: PlannedAsk = {
    askId, accountId: advocate.accountId, contactId, dealId, askType: need.askType, status: 'proposed', proposedAt: nowIso,
    sentAt: null, acceptedAt: null, declinedAt: null, noResponseAt: null, completedAt: null, cancelledAt: null,
    source: 'reference', runKey: null, taskId: null, crmAskId: null, outcomeNote: null, criteriaVersion: ctx.criteria.version, readinessScore: advocate.readiness,
    details: referenceRequestDetails(need, actor, advocate),
  };
  const draft = composeReferenceTask(advocate, need, day, ctx.criteria.referenceServiceLevels);
  const task: CrmTask = { idempotencyKey: `task:${askId}`, ownerId, accountId: advocate.accountId, contactId, dealId, ...draft };
  await applyDecision(applyDepsOf(ctx, portalId), {
    asks: [ask],
    writes: [taskWrite(task, { askId, day }), mirrorWrite(ask, day)],
    audit: [{ actor, action: 'reference.requested', entityType: 'ask', entityId: askId, accountId: advocate.accountId, criteriaVersion: ctx.criteria.version, before: null, after: { dealId, contactId, need } }],
    notices: [
      referenceRequestedNotice({
        askId, accountId: advocate.accountId, accountName: advocate.accountName, contactId, contactName: advocate.contactName, dealName: deal.name, askType: need.askType,
        recipient: recipientOf(ownerId, signals?.owner), day, dueLine: `Decide by ${draft.dueOn}.`,
      }),
    ],
  });
  return toView((await ctx.store.asks.get(portalId, askId))!, day, ctx.criteria.referenceServiceLevels);
}
