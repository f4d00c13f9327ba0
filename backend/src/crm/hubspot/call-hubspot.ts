import { Client } from '@hubspot/api-client';
import { CrmError } from '../errors';
import type { CallLimiter } from './portal-limiter';
import type { AccessTokenSource } from './access-token';
import { withTimeout } from '../with-timeout';

// Every call to HubSpot goes through here: the portal's rate limiter, a timeout, 429 handling by
// policy (TEN_SECONDLY_ROLLING waits for Retry-After and goes again; DAILY stops the scan with
// its checkpoint), bounded backoff on 5xx and network errors, one token refresh on a 401.

export interface CallPolicy {
  timeoutMs: number;
  /** Tries for 5xx, network errors and timeouts (reads and idempotent writes only). */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** 429 TEN_SECONDLY_ROLLING answers tolerated for one call before giving up. */
  rateLimitAttempts: number;
  /** Wait after a 429 without Retry-After: one window's worth of sliding. */
  rateLimitWaitMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const defaultCallPolicy = (): CallPolicy => ({
  timeoutMs: 30_000,
  attempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  rateLimitAttempts: 6,
  rateLimitWaitMs: 1_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
});

/** A non-2xx answer, with the raw body the SDK's typed models would otherwise drop (policyName). */
export class HubSpotHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string>,
  ) {
    super(`HubSpot answered ${status}${typeof body.message === 'string' ? `: ${body.message}` : ''}`);
    this.name = 'HubSpotHttpError';
  }
}

class CallTimeout extends Error {}

// The SDK's typed response processors keep only the fields of their Error model; reading the
// body here first keeps policyName and category, and gives every API one error type.
export const rawErrors = {
  pre: (ctx: unknown) => ctx,
  post: async (rsp: unknown) => {
    const r = rsp as { httpStatusCode: number; headers: Record<string, string>; body: { text(): Promise<string> } };
    if (r.httpStatusCode < 400) return rsp;
    const text = await r.body.text().catch(() => '');
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      body = { message: text.slice(0, 200) };
    }
    throw new HubSpotHttpError(r.httpStatusCode, body, r.headers ?? {});
  },
};

export function buildClient(accessToken: string, basePath?: string): Client {
  // numberOfApiCallRetries 0: the SDK's retry ignores Retry-After and the 429 policy; ours governs.
  return new Client({ accessToken, numberOfApiCallRetries: 0, middleware: [rawErrors], ...(basePath ? { basePath } : {}) });
}

const NETWORK = /^(ECONNRESET|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|EPIPE|ENOTFOUND|UND_ERR_SOCKET|UND_ERR_CONNECT_TIMEOUT)$/;

function networkCode(error: unknown): string | null {
  const e = error as { code?: string; cause?: { code?: string }; name?: string; message?: string };
  const code = e?.code ?? e?.cause?.code;
  if (typeof code === 'string' && NETWORK.test(code)) return code;
  if (e?.name === 'TypeError' && /fetch failed/i.test(e.message ?? '')) return 'FETCH_FAILED';
  return null;
}

export function retryAfterMs(headers: Record<string, string>): number | null {
  const raw = headers['retry-after'] ?? headers['Retry-After'];
  if (!raw) return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

export function toCrmError(error: unknown, what: string): CrmError {
  if (error instanceof CrmError) return error;
  if (error instanceof CallTimeout) return new CrmError('CRM_TIMEOUT', `${what}: ${error.message}`);
  if (error instanceof HubSpotHttpError) {
    const { status, body } = error;
    const category = typeof body.category === 'string' ? body.category : undefined;
    const message = `${what}: HTTP ${status}${category ? ` ${category}` : ''}${typeof body.message === 'string' ? ` (${body.message})` : ''}`;
    if (status === 429) {
      return body.policyName === 'DAILY'
        ? new CrmError('CRM_DAILY_LIMIT', message, { status, policy: 'DAILY' })
        : new CrmError('CRM_RATE_LIMITED', message, { status, policy: String(body.policyName ?? 'TEN_SECONDLY_ROLLING'), retryAfterMs: retryAfterMs(error.headers) ?? undefined });
    }
    if (status === 401) return new CrmError('CRM_AUTH', message, { status });
    if (status === 404) return new CrmError('CRM_NOT_FOUND', message, { status });
    if (status >= 500) return new CrmError('CRM_UNAVAILABLE', message, { status });
    return new CrmError('CRM_REJECTED', message, { status, category });
  }
  const network = networkCode(error);
  if (network) return new CrmError('CRM_UNAVAILABLE', `${what}: ${network}`);
  return new CrmError('CRM_REJECTED', `${what}: ${(error as Error)?.message ?? String(error)}`);
}

/** A deadline on an SDK call, failing with the error toCrmError maps to CRM_TIMEOUT. */
export const withDeadline = <T>(run: () => Promise<T>, ms: number): Promise<T> => withTimeout(run, ms, (message) => new CallTimeout(message));

export interface CallContext {
  policy: CallPolicy;
  limiter: CallLimiter;
  auth: AccessTokenSource;
  clientFor(token: string): Client;
  /** Counters for the benchmark and the logs. */
  stats: { calls: number; rateLimited: number; retried: number };
}

export interface CallOptions {
  /**
   * False for creates: after a timeout or a 5xx HubSpot may have created the records, and a
   * second try would duplicate them. Only a 429 (refused before any work) is retried then.
   */
  idempotent: boolean;
}

export async function callHubSpot<T>(ctx: CallContext, what: string, options: CallOptions, run: (client: Client) => Promise<T>): Promise<T> {
  const { policy } = ctx;
  let failures = 0;
  let limited = 0;
  let refreshed = false;
  for (;;) {
    try {
      const token = await ctx.auth.accessToken();
      const client = ctx.clientFor(token);
      ctx.stats.calls++;
      return await ctx.limiter.schedule(() => withDeadline(() => run(client), policy.timeoutMs));
    } catch (error) {
      if (error instanceof CrmError) throw error;
      const status = error instanceof HubSpotHttpError ? error.status : null;
      if (status === 401 && ctx.auth.canRefresh && !refreshed) {
        refreshed = true;
        await ctx.auth.refresh();
        continue;
      }
      if (status === 429 && error instanceof HubSpotHttpError && error.body.policyName !== 'DAILY') {
        ctx.stats.rateLimited++;
        if (++limited >= policy.rateLimitAttempts) throw toCrmError(error, what);
        const wait = retryAfterMs(error.headers) ?? policy.rateLimitWaitMs;
        const paused = policy.sleep(wait);
        ctx.limiter.pause(paused, wait);
        await paused;
        continue;
      }
      if (status === 401) {
        const base = toCrmError(error, what);
        throw new CrmError('CRM_AUTH', ctx.auth.authHint ? `${base.message}: ${ctx.auth.authHint}` : base.message, base.details);
      }
      const transient = error instanceof CallTimeout || (status !== null && status >= 500) || (status === null && networkCode(error) !== null);
      if (!transient || !options.idempotent || ++failures >= policy.attempts) throw toCrmError(error, what);
      ctx.stats.retried++;
      await policy.sleep(Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failures - 1)));
    }
  }
}
