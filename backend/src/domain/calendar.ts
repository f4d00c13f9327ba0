import { UTCDate } from '@date-fns/utc';
// One file per function: the package root loads all of date-fns (about 0.2 s on every command).
import { addDays } from 'date-fns/addDays';
import { addMonths } from 'date-fns/addMonths';
import { differenceInCalendarDays } from 'date-fns/differenceInCalendarDays';
import { isValid } from 'date-fns/isValid';
import type { IsoDate } from './types';

// All date arithmetic happens in UTC calendar days so a result never depends on the
// machine's time zone.

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The years a date may have. Outside them arithmetic (a year back, a quarter ahead) leaves the
 * four-digit ISO form, and no customer record is dated before 1900 or after 2999.
 */
export const DATE_RANGE = { from: '1900-01-01', to: '2999-12-31' } as const;
export const DATE_RULE = `a date as YYYY-MM-DD between ${DATE_RANGE.from} and ${DATE_RANGE.to}`;

export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value) || value < DATE_RANGE.from || value > DATE_RANGE.to) return false;
  const d = new UTCDate(value);
  // Rejects days that do not exist (2026-02-30 would otherwise roll into March).
  return isValid(d) && toIsoDate(d) === value;
}

export function utc(value: IsoDate | string): UTCDate {
  return new UTCDate(value);
}

export function toIsoDate(date: Date): IsoDate {
  return new UTCDate(date).toISOString().slice(0, 10);
}

/** The calendar day (UTC) of a moment or an ISO date or timestamp: the one "today" of `now()`. */
export function dayOf(value: string | Date): IsoDate {
  if (value instanceof Date) return toIsoDate(value);
  return value.length === 10 ? value : toIsoDate(new Date(value));
}

export function plusDays(date: IsoDate, days: number): IsoDate {
  return toIsoDate(addDays(utc(date), days));
}

export function plusMonths(date: IsoDate, months: number): IsoDate {
  return toIsoDate(addMonths(utc(date), months));
}

/** Whole calendar days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return differenceInCalendarDays(utc(dayOf(to)), utc(dayOf(from)));
}

/** First day of the month holding `date`. */
export function monthStart(date: IsoDate): IsoDate {
  return `${date.slice(0, 7)}-01`;
}

/** Last day of the month holding `date`. */
export function monthEnd(date: IsoDate): IsoDate {
  return plusDays(plusMonths(monthStart(date), 1), -1);
}

/** The `count` months ending with the month of `date`, oldest first, as YYYY-MM. */
export function monthsEndingAt(date: IsoDate, count: number): string[] {
  const months: string[] = [];
  for (let i = count - 1; i >= 0; i--) months.push(plusMonths(monthStart(date), -i).slice(0, 7));
  return months;
}
