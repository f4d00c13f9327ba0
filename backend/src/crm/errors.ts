// Failures every adapter maps its vendor's errors onto, so the jobs can react the same way
// whatever the CRM: retry later, stop with a checkpoint, or report a bad record.

export const CRM_ERROR_CODES = [
  'CRM_AUTH', // credentials rejected, even after a refresh
  'CRM_NOT_FOUND',
  'CRM_RATE_LIMITED', // short-window limit; retry after `retryAfterMs`
  'CRM_DAILY_LIMIT', // daily quota spent: stop, keep the checkpoint, resume tomorrow
  'CRM_UNAVAILABLE', // 5xx or network, after retries
  'CRM_TIMEOUT',
  'CRM_REJECTED', // 4xx validation: the request itself is wrong
  'CRM_INVALID_ID', // the caller gave an id this CRM cannot have; refused before any call
] as const;
export type CrmErrorCode = (typeof CRM_ERROR_CODES)[number];

export class CrmError extends Error {
  constructor(
    readonly code: CrmErrorCode,
    message: string,
    readonly details: { status?: number; retryAfterMs?: number; policy?: string; [key: string]: unknown } = {},
  ) {
    super(message);
    this.name = 'CrmError';
  }

  /** A scan stops (resumably) on these instead of failing record by record. */
  get stopsScan(): boolean {
    return this.code === 'CRM_DAILY_LIMIT' || this.code === 'CRM_AUTH';
  }
}
