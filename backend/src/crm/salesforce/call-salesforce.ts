import { CrmError } from '../errors';
import { withTimeout } from '../with-timeout';

// Every call to Salesforce goes through here: a timeout, bounded retries with backoff on
// server and network errors, and Salesforce's error codes mapped onto the port's.

export interface CallPolicy {
  timeoutMs: number;
  attempts: number;
  baseDelayMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const defaultCallPolicy = (): CallPolicy => ({
  timeoutMs: 30_000,
  attempts: 4,
  baseDelayMs: 500,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
});

const RETRYABLE = /^(ERROR_HTTP_5\d\d|UNKNOWN_EXCEPTION|SERVER_UNAVAILABLE|ECONNRESET|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|EPIPE|SF_TIMEOUT)$/;

function codeOf(error: unknown): string {
  const e = error as { errorCode?: string; code?: string; name?: string };
  return e?.errorCode ?? e?.code ?? e?.name ?? 'UNKNOWN';
}

export function toCrmError(error: unknown, what: string): CrmError {
  if (error instanceof CrmError) return error;
  const code = codeOf(error);
  const message = `${what}: ${code}`;
  if (code === 'REQUEST_LIMIT_EXCEEDED') return new CrmError('CRM_DAILY_LIMIT', message, { policy: 'DAILY' });
  if (code === 'INVALID_SESSION_ID' || code === 'INVALID_AUTH_HEADER' || code === 'invalid_grant') return new CrmError('CRM_AUTH', message);
  if (code === 'NOT_FOUND' || code === 'INVALID_CROSS_REFERENCE_KEY') return new CrmError('CRM_NOT_FOUND', message);
  if (code === 'SF_TIMEOUT') return new CrmError('CRM_TIMEOUT', message);
  if (RETRYABLE.test(code)) return new CrmError('CRM_UNAVAILABLE', message);
  return new CrmError('CRM_REJECTED', message, { salesforceCode: code });
}

const sfTimeout = (message: string) => Object.assign(new Error(message), { errorCode: 'SF_TIMEOUT' });

/**
 * `once`: a create, sent a single time. A timeout or a 5xx may still have made the records; a
 * blind resend would make them twice, so create-once looks them up by key on the next try.
 */
export async function callSalesforce<T>(what: string, policy: CallPolicy, run: () => Promise<T>, options: { once?: boolean } = {}): Promise<T> {
  let lastError: unknown;
  const attempts = options.once ? 1 : policy.attempts;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await withTimeout(run, policy.timeoutMs, sfTimeout);
    } catch (error) {
      lastError = error;
      const code = codeOf(error);
      if (!RETRYABLE.test(code) || attempt === attempts) break;
      await policy.sleep(policy.baseDelayMs * 2 ** (attempt - 1));
    }
  }
  throw toCrmError(lastError, what);
}
