import { isoWeekOf, minutesOfQuietLeft, parseNotificationConfig, routeNotice, rulesFor } from '../../../backend/src/domain/notification-policy';

// The program's notification rules: validated like the criteria, and applied per CSM.

const cfg = (raw: unknown) => {
  const parsed = parseNotificationConfig(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.config;
};
const sam = { ownerId: 'owner-1', email: 'sam@example.test', name: 'Sam' };

describe('notification rules', () => {
  it('when the file has mistakes, then every one is listed with its path', () => {
    const parsed = parseNotificationConfig({ dailyCapPerCsm: -1, quietHours: { start: '25:00', end: '07:00' }, csms: { x: { optOut: 'yes' } }, admins: ['not-an-email'], extra: 1 });
    expect(parsed.ok).toBe(false);
    const paths = !parsed.ok ? parsed.problems.map((p) => p.path) : [];
    expect(paths).toEqual(expect.arrayContaining(['dailyCapPerCsm', 'quietHours.start', 'csms.x.optOut', 'admins.0', '(root)']));
  });

  it('when nothing is configured, then nobody is opted out, there are no quiet hours and the cap is 10', () => {
    expect(rulesFor(cfg({}), sam)).toEqual({ optOut: false, quietHours: null, timeZone: 'UTC', dailyCap: 10 });
  });

  it('when a CSM is listed by email or by owner id, then their own rules apply over the program defaults', () => {
    const c = cfg({ dailyCapPerCsm: 5, csms: { 'Sam@Example.test': { dailyCap: 2 }, 'owner-9': { optOut: true } } });
    expect(rulesFor(c, sam).dailyCap).toBe(2);
    expect(rulesFor(c, { ownerId: 'owner-9', email: null }).optOut).toBe(true);
    expect(routeNotice(c, { kind: 'proposal_ready', recipient: { ...sam } }, { now: new Date(), sentToday: 2 })).toEqual({ route: 'digest', reason: 'DAILY_CAP' });
    expect(routeNotice(c, { kind: 'daily_digest', recipient: { ...sam } }, { now: new Date(), sentToday: 2 })).toEqual({ route: 'send' });
    expect(routeNotice(c, { kind: 'proposal_ready', recipient: { ownerId: 'owner-9', email: null, name: null } }, { now: new Date(), sentToday: 0 })).toEqual({ route: 'suppress', reason: 'OPTED_OUT' });
  });

  it('when quiet hours span midnight in the CSM time zone, then a notice waits until they end', () => {
    const rules = { quietHours: { start: '20:00', end: '07:00' }, timeZone: 'Europe/Berlin' };
    expect(minutesOfQuietLeft(new Date('2026-11-24T22:30:00Z'), rules)).toBe(7 * 60 + 30); // 23:30 there
    expect(minutesOfQuietLeft(new Date('2026-11-24T12:00:00Z'), rules)).toBe(0);
    const c = cfg({ quietHours: { start: '20:00', end: '07:00' }, timeZone: 'Europe/Berlin' });
    expect(routeNotice(c, { kind: 'proposal_ready', recipient: sam }, { now: new Date('2026-11-24T22:30:00Z'), sentToday: 0 })).toEqual({ route: 'wait', until: new Date('2026-11-25T06:00:00Z'), reason: 'QUIET_HOURS' });
  });

  it('when a week is named, then it is the ISO week', () => {
    expect(isoWeekOf('2026-11-24')).toBe('2026-W48');
    expect(isoWeekOf('2027-01-01')).toBe('2026-W53');
  });
});
