import { DATE_RULE, isIsoDate } from '../domain/calendar';
import { ASK_STATUSES, ASK_TYPES, type AskStatus, type AskType } from '../domain/types';
import { UsageError } from './io';

export function isoDateArg(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!isIsoDate(value)) throw new UsageError(`${name} must be ${DATE_RULE}, got "${value}"`);
  return value;
}

export function positiveIntArg(name: string, value: string | undefined, fallback: number, max = 120): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) throw new UsageError(`${name} must be a whole number from 1 to ${max}, got "${value}"`);
  return Number(value);
}

export function statusArg(value: string): AskStatus {
  if (!(ASK_STATUSES as readonly string[]).includes(value)) throw new UsageError(`STATUS must be one of ${ASK_STATUSES.join(', ')}; got "${value}"`);
  return value as AskStatus;
}

export function askTypeArg(name: string, value: string | undefined): AskType | undefined {
  if (value === undefined) return undefined;
  if (!(ASK_TYPES as readonly string[]).includes(value)) throw new UsageError(`${name} must be one of ${ASK_TYPES.join(', ')}; got "${value}"`);
  return value as AskType;
}
