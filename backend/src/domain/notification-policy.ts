import { z } from 'zod';
import type { Notice, NoticeRecipient } from './notices';

// Who hears what, and when: the program owner's notification rules (a reviewed config file,
// validated here like the criteria). Per CSM (by CRM owner email or owner id): opt out, quiet
// hours in their time zone, a daily cap; past the cap, notices wait for the daily digest.
// Program admins may act on any ask from the messaging tool.

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour)');
const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone, e.g. Europe/Berlin');
const quietHours = z.object({ start: hhmm, end: hhmm }).strict().refine((q) => q.start !== q.end, { message: 'start and end must differ' });
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

const csmSchema = z
  .object({
    optOut: z.boolean().default(false),
    quietHours: quietHours.nullable().optional(),
    timeZone: timeZone.optional(),
    dailyCap: z.number().int().min(0).max(500).optional(),
  })
  .strict();

export const notificationConfigSchema = z
  .object({
    /** Messages per CSM per day; the rest go into the daily digest. */
    dailyCapPerCsm: z.number().int().min(0).max(500).default(10),
    timeZone: timeZone.default('UTC'),
    quietHours: quietHours.nullable().default(null),
    dailyDigestTime: hhmm.default('17:00'),
    weeklyDigest: z.object({ day: z.enum(WEEKDAYS), time: hhmm }).strict().default({ day: 'monday', time: '08:00' }),
    /** Keyed by the CSM's CRM owner email (any case) or owner id. */
    csms: z.record(z.string().min(1), csmSchema).default({}),
    /** CRM owner emails of people who may act on any ask of the portal from the messaging tool. */
    admins: z.array(z.string().email()).default([]),
  })
  .strict();

export type NotificationConfig = z.infer<typeof notificationConfigSchema>;

export function parseNotificationConfig(input: unknown): { ok: true; config: NotificationConfig } | { ok: false; problems: Array<{ path: string; message: string }> } {
  const parsed = notificationConfigSchema.safeParse(input);
  if (parsed.success) return { ok: true, config: parsed.data };
  return { ok: false, problems: parsed.error.issues.map((i) => ({ path: i.path.length ? i.path.join('.') : '(root)', message: i.message })) };
}

export const defaultNotificationConfig = (): NotificationConfig => notificationConfigSchema.parse({});

export interface CsmRules {
  optOut: boolean;
  quietHours: { start: string; end: string } | null;
  timeZone: string;
  dailyCap: number;
}

export function rulesFor(config: NotificationConfig, recipient: Pick<NoticeRecipient, 'ownerId' | 'email'>): CsmRules {
  const byEmail = recipient.email ? Object.entries(config.csms).find(([k]) => k.toLowerCase() === recipient.email!.toLowerCase())?.[1] : undefined;
  const own = byEmail ?? config.csms[recipient.ownerId];
  return {
    optOut: own?.optOut ?? false,
    quietHours: own?.quietHours === undefined ? config.quietHours : own.quietHours,
    timeZone: own?.timeZone ?? config.timeZone,
    dailyCap: own?.dailyCap ?? config.dailyCapPerCsm,
  };
}

export const isAdmin = (config: NotificationConfig, email: string | null) => !!email && config.admins.some((a) => a.toLowerCase() === email.toLowerCase());

/** Local date and minutes since midnight of an instant in a time zone. */
export function localClock(at: Date, tz: string): { day: string; minutes: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return { day: `${parts.year}-${parts.month}-${parts.day}`, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

const minutesOf = (hm: string) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));

/** Minutes until quiet hours end, or 0 when it is not quiet now (quiet hours may span midnight). */
export function minutesOfQuietLeft(at: Date, rules: Pick<CsmRules, 'quietHours' | 'timeZone'>): number {
  if (!rules.quietHours) return 0;
  const now = localClock(at, rules.timeZone).minutes;
  const start = minutesOf(rules.quietHours.start);
  const end = minutesOf(rules.quietHours.end);
  const quiet = start < end ? now >= start && now < end : now >= start || now < end;
  if (!quiet) return 0;
  return (end - now + 24 * 60) % (24 * 60);
}

export type Routing =
  | { route: 'send' }
  | { route: 'suppress'; reason: 'OPTED_OUT' }
  | { route: 'wait'; until: Date; reason: 'QUIET_HOURS' }
  | { route: 'digest'; reason: 'DAILY_CAP' };

const DIGESTS = new Set<Notice['kind']>(['daily_digest', 'weekly_digest']);

/**
 * What to do with a notice now: an opted-out CSM gets nothing; during their quiet hours it
 * waits; past their daily cap it goes into the daily digest (digests themselves are not capped).
 */
export function routeNotice(config: NotificationConfig, notice: Pick<Notice, 'kind' | 'recipient'>, state: { now: Date; sentToday: number }): Routing {
  const rules = rulesFor(config, notice.recipient);
  if (rules.optOut) return { route: 'suppress', reason: 'OPTED_OUT' };
  const quiet = minutesOfQuietLeft(state.now, rules);
  if (quiet > 0) return { route: 'wait', until: new Date(Math.ceil(state.now.getTime() / 60_000) * 60_000 + quiet * 60_000), reason: 'QUIET_HOURS' };
  if (!DIGESTS.has(notice.kind) && state.sentToday >= rules.dailyCap) return { route: 'digest', reason: 'DAILY_CAP' };
  return { route: 'send' };
}

/** The ISO week of a date (YYYY-Www): the weekly digest's key. */
export function isoWeekOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const dow = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - dow + 3);
  const firstThursday = new Date(Date.UTC(d.getUTCFullYear(), 0, 4));
  const week = 1 + Math.round(((d.getTime() - firstThursday.getTime()) / 86_400_000 - 3 + ((firstThursday.getUTCDay() + 6) % 7)) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

export const weekdayIndex = (day: (typeof WEEKDAYS)[number]) => WEEKDAYS.indexOf(day);
