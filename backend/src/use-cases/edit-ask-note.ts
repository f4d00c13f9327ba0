import type { AppContext } from './context';
import { DomainError } from '../domain/errors';
import { mirrorWrite } from '../domain/decision-plan';
import { relayOutbox } from '../jobs/relay-outbox';
import { applyDepsOf } from './apply-decision';
import type { StoredAsk } from '../store/store-port';

// The CSM's note on an ask (what they changed in the outreach, who they spoke to), edited
// without moving the ask. Audited with the note before and after, and mirrored to the CRM.

export async function editAskNote(ctx: AppContext, portalId: string, askId: string, note: string | null, actor: string): Promise<StoredAsk> {
  const nowIso = ctx.now().toISOString();
  const day = nowIso.slice(0, 10);
  const text = note?.trim() ? note.trim() : null;
  let mirrorKey: string | null = null;
  const updated = await ctx.store.transaction(async (tx) => {
    const ask = await tx.asks.get(portalId, askId, { forUpdate: true });
    if (!ask) throw new DomainError('ASK_NOT_FOUND', `no ask ${askId} in this portal`, { askId });
    if (ask.outcomeNote === text) return ask;
    const edited: StoredAsk = { ...ask, outcomeNote: text };
    await tx.asks.upsert(portalId, [edited]);
    await tx.audit.append(portalId, [{ actor, action: 'ask.note_edited', entityType: 'ask', entityId: askId, accountId: ask.accountId, criteriaVersion: ask.criteriaVersion, before: { hadNote: !!ask.outcomeNote }, after: { hasNote: !!text }, personal: { subjectId: ask.contactId, data: { before: { note: ask.outcomeNote }, after: { note: text } } } }], nowIso);
    // The status mirror's key is taken by the status itself; a note edit is its own write.
    const item = { ...mirrorWrite(edited, day), idempotencyKey: `mirror:${askId}:note:${nowIso}` };
    await tx.outbox.enqueue(portalId, [item]);
    mirrorKey = item.idempotencyKey;
    return edited;
  });
  if (mirrorKey) {
    const relay = await relayOutbox(applyDepsOf(ctx, portalId), { onlyKeys: [mirrorKey] });
    if (relay.stoppedBy) ctx.logger.warn({ portalId, askId, code: relay.stoppedBy.code }, 'CRM mirror of the note deferred');
  }
  return updated;
}
