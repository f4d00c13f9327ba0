import type { CrmPort, CrmTask } from '../crm/port';
import type { Criteria } from '../domain/criteria';
import { overdue, REQUEST_STAGE } from '../domain/service-levels';
import type { IsoDate } from '../domain/types';
import type { Store } from '../store/store-port';
import { overdueNotice } from '../domain/notices';
import { relayOutbox } from './relay-outbox';

// A reference request past its service level (the CSM has not decided within the business
// days allowed, or the reference has not happened) raises one reminder task to the CSM who got
// the request: keyed by request and stage, so running the job again, on any worker, adds no
// second reminder and no second audit entry. The reminder goes out through the outbox.

export interface ReminderDeps {
  store: Store;
  crm: CrmPort;
  criteria: Criteria;
  portalId: string;
  now: () => Date;
}

export async function raiseServiceLevelReminders(deps: ReminderDeps, today: IsoDate): Promise<{ raised: number; open: number }> {
  const { store, portalId } = deps;
  const levels = deps.criteria.referenceServiceLevels;
  const open = await store.referenceRequests.open(portalId);
  let raised = 0;
  const keys: string[] = [];
  for (const request of open) {
    const stage = REQUEST_STAGE[request.status];
    const late = overdue(stage, request.proposedAt, today, levels);
    if (!late) continue;
    const key = `reminder:${request.askId}:${stage === 'requested' ? 'decision' : 'fulfilment'}`;
    const task: CrmTask = {
      ...request.task,
      idempotencyKey: key,
      subject: `Overdue: ${request.task.subject}`.slice(0, 250),
      body: `${stage === 'requested' ? 'Please approve or decline this reference request' : 'Please make sure this reference takes place'}: ${late}.\n\n${request.task.body}`,
      dueOn: today,
    };
    const inserted = await store.transaction(async (tx) => {
      const first = await tx.outbox.enqueueOnce(portalId, { idempotencyKey: key, kind: 'reference_task', accountId: request.accountId, askId: request.askId, payload: task, createdOn: today });
      if (first) {
        const noticeStage = stage === 'requested' ? 'decision' : 'fulfilment';
        await tx.notices.enqueue(portalId, [overdueNotice({ askId: request.askId, accountId: request.accountId, stage: noticeStage, overdue: late, subject: request.task.subject, recipient: { ownerId: request.task.ownerId, name: null, email: null }, day: today })]);
        await tx.audit.append(
          portalId,
          [{ actor: 'system:reminders', action: 'reference.reminder_raised', entityType: 'ask', entityId: request.askId, accountId: request.accountId, criteriaVersion: null, before: null, after: { stage, overdue: late, taskKey: key } }],
          deps.now().toISOString(),
        );
      }
      return first;
    });
    if (inserted) {
      raised++;
      keys.push(key);
    }
  }
  if (keys.length) {
    const relay = await relayOutbox(deps, { onlyKeys: keys });
    if (relay.stoppedBy) throw relay.stoppedBy;
  }
  return { raised, open: open.length };
}
