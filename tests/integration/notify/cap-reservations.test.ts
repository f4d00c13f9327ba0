import { parseNotificationConfig } from '../../../backend/src/domain/notification-policy';
import type { Notice } from '../../../backend/src/domain/notices';
import { sendNotifications, type NotifyDeps } from '../../../backend/src/jobs/send-notifications';
import { NotifyError, type Delivery, type Notifier } from '../../../backend/src/notify/port';
import type { Db } from '../../../backend/src/store/db';
import type { Store } from '../../../backend/src/store/store-port';
import { testContext } from '../../support/context';
import { openTestDb, storeKinds } from '../../support/store';

// The daily cap counts the slots other senders hold: a sender reserves one of the CSM's slots
// of the day before it delivers, so a second sender working at the same moment sees it taken
// and routes past the cap to the digest. A failed delivery gives its slot back.

const NOW = new Date('2026-03-10T10:00:00.000Z');
const DAY = '2026-03-10';

const notice = (i: number): Notice => ({
  key: `notice:proposal:cap-${i}`,
  kind: 'proposal_ready',
  recipient: { ownerId: 'owner-cap', name: 'Cap CSM', email: 'cap@example.test' },
  accountId: `acc-${i}`,
  accountName: `Account ${i}`,
  askId: `cap-${i}`,
  contactId: `con-${i}`,
  day: DAY,
  title: `Quote proposed for Account ${i}`,
  readiness: { score: 80, band: 'green', top: [] },
  ask: { askType: 'quote', rule: 'lowest rung not completed', outreach: { subject: 'A favour', body: 'A quote?' } },
  reasons: [],
  lines: [],
  actions: ['mark_sent', 'snooze', 'not_now'],
});

/** A notifier whose deliveries wait until the test lets them go (a slow Slack). */
class HeldNotifier implements Notifier {
  readonly via = 'held';
  started = 0;
  private release!: () => void;
  private readonly gate = new Promise<void>((r) => (this.release = r));
  private startedOne!: () => void;
  readonly firstStarted = new Promise<void>((r) => (this.startedOne = r));
  async deliver(n: Notice): Promise<Delivery> {
    this.started++;
    this.startedOne();
    await this.gate;
    return { via: this.via, to: n.recipient.email, ref: n.key };
  }
  async update(): Promise<void> {}
  let(): void {
    this.release();
  }
}

const instant: Notifier = { via: 'instant', deliver: async (n) => ({ via: 'instant', to: n.recipient.email, ref: n.key }), update: async () => {} };
const down: Notifier = { via: 'down', deliver: async () => { throw new NotifyError('NOTIFY_UNAVAILABLE', 'messaging is down'); }, update: async () => {} };

describe.each(storeKinds())('daily cap reservations (%s)', (kind) => {
  let db: Db;
  let store: Store;
  beforeEach(async () => {
    db = await openTestDb(kind);
    store = (await testContext(db, { now: NOW.toISOString() })).store;
  });
  afterEach(async () => db.close());

  const deps = (notifier: Notifier, cap: number): NotifyDeps => {
    const parsed = parseNotificationConfig({ dailyCapPerCsm: cap, timeZone: 'UTC', quietHours: null });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    return { store, portalId: 'local', now: () => NOW, config: parsed.config, notifier, links: () => ({ record: null }) };
  };
  const statuses = async () => (await db.query<{ notice_key: string; status: string; reason: string | null; reserved_on: string | null }>(`SELECT notice_key, status, reason, reserved_on FROM notifications ORDER BY notice_key`)).rows;

  it('when one sender holds the last slot of the day while delivering, then a second sender sends none and digests the rest; the first one sends it', async () => {
    await store.notices.enqueue('local', [notice(1)]);
    const held = new HeldNotifier();
    const first = sendNotifications(deps(held, 1), { batch: 1 });
    await held.firstStarted;
    // The first notice is reserved for the day while Slack has not answered yet.
    expect(await statuses()).toEqual([{ notice_key: 'notice:proposal:cap-1', status: 'pending', reason: null, reserved_on: DAY }]);
    expect(await store.notices.takenOnDay('local', 'owner-cap', DAY, 'notice:proposal:cap-2')).toBe(1);
    expect(await store.notices.takenOnDay('local', 'owner-cap', DAY, 'notice:proposal:cap-1')).toBe(0);

    await store.notices.enqueue('local', [notice(2), notice(3)]);
    const second = await sendNotifications(deps(instant, 1), { batch: 1 });
    expect(second).toEqual(expect.objectContaining({ sent: 0, digested: 2, failed: 0 }));

    held.let();
    expect(await first).toEqual(expect.objectContaining({ sent: 1, digested: 0, failed: 0 }));
    expect(held.started).toBe(1);
    expect(await statuses()).toEqual([
      { notice_key: 'notice:proposal:cap-1', status: 'sent', reason: null, reserved_on: null },
      { notice_key: 'notice:proposal:cap-2', status: 'digested', reason: 'DAILY_CAP', reserved_on: null },
      { notice_key: 'notice:proposal:cap-3', status: 'digested', reason: 'DAILY_CAP', reserved_on: null },
    ]);
    expect(await store.notices.takenOnDay('local', 'owner-cap', DAY, 'none')).toBe(1);
  });

  it('when a delivery fails, then its slot is given back and the next run sends it within the cap', async () => {
    await store.notices.enqueue('local', [notice(1), notice(2)]);
    const failed = await sendNotifications(deps(down, 1));
    expect(failed).toEqual(expect.objectContaining({ sent: 0, digested: 0, failed: 2 }));
    expect((await statuses()).map((r) => [r.status, r.reserved_on])).toEqual([['pending', null], ['pending', null]]);
    expect(await store.notices.takenOnDay('local', 'owner-cap', DAY, 'none')).toBe(0);

    const again = await sendNotifications(deps(instant, 1));
    expect(again).toEqual(expect.objectContaining({ sent: 1, digested: 1, failed: 0 }));
    expect((await statuses()).map((r) => r.status)).toEqual(['sent', 'digested']);
  });
});
