import type { AppContext } from '../../../backend/src/app-context';
import { CONTACT_CHANNEL, deletedContacts, lastReplayId, subscribeToContactDeletions, type AccountChangeEvent, type Subscribe } from '../../../backend/src/crm/salesforce/change-events';
import { applyDataset } from '../../../backend/src/import/dataset';
import { listAudit, verifyAudit } from '../../../backend/src/store/audit-log';
import type { Db } from '../../../backend/src/store/db';
import { eraseContact } from '../../../backend/src/use-cases/erase-contact';
import { championsDataset } from '../../support/builders';
import { testContext } from '../../support/context';
import { openTestDb } from '../../support/store';

// A Contact deleted in Salesforce arrives as a ContactChangeEvent DELETE on Change Data Capture
// (the package selects ContactChangeEvent on ChangeEvents): the person is erased here as it
// arrives, once per contact, and the replay id is remembered after the erasure, so a restart
// resumes after it and a failed erasure comes again.

const PORTAL = 'salesforce:00D000000000001';
const GONE = '003000000000001AAA';
const KEPT = '003000000000002AAA';

const contactEvent = (replayId: number, changeType: string, recordIds: string[]): AccountChangeEvent => ({
  event: { replayId },
  payload: { ChangeEventHeader: { entityName: 'Contact', changeType, recordIds, changedFields: [] } },
});

describe('Salesforce contact deletions by Change Data Capture', () => {
  let db: Db;
  let ctx: AppContext;
  beforeEach(async () => {
    db = await openTestDb('pglite');
    await db.transaction((tx) => applyDataset(tx, PORTAL, championsDataset([{ id: '001000000000001AAA', contact: { contactId: GONE } }, { id: '001000000000002AAA', contact: { contactId: KEPT } }])));
    ctx = await testContext(db);
  });
  afterEach(async () => db.close());

  it('when a change event is not a Contact delete, then nobody is erased', () => {
    expect(deletedContacts(contactEvent(1, 'UPDATE', [GONE]))).toEqual([]);
    expect(deletedContacts({ ...contactEvent(2, 'DELETE', [GONE]), payload: { ChangeEventHeader: { entityName: 'Account', changeType: 'DELETE', recordIds: ['001000000000001AAA'] } } })).toEqual([]);
    expect(deletedContacts(contactEvent(3, 'DELETE', [GONE, GONE]))).toEqual([GONE]);
    expect(deletedContacts(contactEvent(4, 'GAP_DELETE', [KEPT]))).toEqual([KEPT]);
  });

  it('when a Contact DELETE event arrives, then that person is erased once, audited, the replay id remembered, and a replay after a restart erases nothing twice', async () => {
    let deliver: ((m: AccountChangeEvent) => Promise<void>) | null = null;
    const subscribed: Array<{ channel: string; from: number }> = [];
    const subscribe: Subscribe = (channel, from, onMessage) => {
      subscribed.push({ channel, from });
      deliver = onMessage;
      return { cancel: () => undefined };
    };
    let failNext = false;
    const erase = async (contactId: string) => {
      if (failNext) {
        failNext = false;
        throw new Error('store unavailable');
      }
      return eraseContact(ctx, PORTAL, contactId, 'salesforce:cdc-contact-deleted', { recordWhenNothingHeld: false });
    };
    await subscribeToContactDeletions({ positions: ctx.store.replayPositions, portalId: PORTAL, subscribe, erase });
    await deliver!(contactEvent(201, 'UPDATE', [KEPT]));
    await deliver!(contactEvent(202, 'DELETE', [GONE]));
    failNext = true;
    await expect(deliver!(contactEvent(203, 'DELETE', [KEPT]))).rejects.toThrow('store unavailable');
    expect(await lastReplayId(ctx.store.replayPositions, PORTAL, CONTACT_CHANNEL)).toBe(202);

    const contacts = async () => (await db.query<{ contact_id: string }>(`SELECT contact_id FROM crm_contacts WHERE portal_id = $1 ORDER BY contact_id`, [PORTAL])).rows.map((r) => r.contact_id);
    expect(await contacts()).toEqual([KEPT]);

    // A restart: resumes after 202; 202 delivered again (at-least-once) and 203 again.
    await subscribeToContactDeletions({ positions: ctx.store.replayPositions, portalId: PORTAL, subscribe, erase });
    expect(subscribed).toEqual([{ channel: CONTACT_CHANNEL, from: -1 }, { channel: CONTACT_CHANNEL, from: 202 }]);
    await deliver!(contactEvent(202, 'DELETE', [GONE]));
    await deliver!(contactEvent(203, 'DELETE', [KEPT]));
    expect(await contacts()).toEqual([]);
    const erasures = (await listAudit(db, PORTAL)).filter((e) => e.action === 'contact.erased');
    expect(erasures.map((e) => [e.entityId, e.actor])).toEqual([[GONE, 'salesforce:cdc-contact-deleted'], [KEPT, 'salesforce:cdc-contact-deleted']]);
    expect(await lastReplayId(ctx.store.replayPositions, PORTAL, CONTACT_CHANNEL)).toBe(203);
    expect((await verifyAudit(db, PORTAL)).ok).toBe(true);
  });
});
