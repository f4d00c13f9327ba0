import type { LogLevel, Logger as SlackLogger, WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { NotifyError } from '../port';

// Every Slack Web API call goes through one WebClient per workspace, built here: a timeout on
// every request; the SDK's own retries (retryConfig) for 429 (it waits the Retry-After Slack
// sends, pausing the client's queue, so a channel's one-message-per-second limit is honoured),
// 5xx and network errors, with exponential backoff; past the last retry the error becomes a
// NotifyError the sender understands. Slack's platform errors (HTTP 200, ok:false) are mapped
// by what they mean: credentials gone (stop), this message refused (give up), else retry later.
// The SDK itself (about 50-90 ms to load) is imported only when a client is built, that is when
// a Slack delivery or interaction actually happens: every other command never loads it.

export interface SlackClientOptions {
  apiUrl: string;
  timeoutMs: number;
  retries: number;
  /** The first retry's delay; doubles each time (tests use 1 ms). */
  minRetryMs?: number;
  logger?: Logger;
}

/** Slack answers that mean the token is no good any more: nothing else can be sent with it. */
const AUTH_ERRORS = new Set(['token_revoked', 'invalid_auth', 'not_authed', 'account_inactive', 'token_expired', 'no_permission', 'missing_scope', 'team_access_not_granted', 'app_uninstalled']);
/** Slack answers that refuse this one message: sending it again cannot help. */
const REFUSED = new Set(['channel_not_found', 'not_in_channel', 'is_archived', 'msg_too_long', 'invalid_blocks', 'too_many_attachments', 'restricted_action', 'cant_update_message', 'message_not_found', 'edit_window_closed', 'users_not_found', 'user_not_found']);

/**
 * The SDK's error codes (its ErrorCode enum's values), kept here so mapping an error needs no
 * SDK loaded; tests/unit/notify/slack-client-lazy.test.ts ties them to the SDK's own enum.
 */
export const SLACK_ERROR_CODES = {
  RequestError: 'slack_webapi_request_error',
  HTTPError: 'slack_webapi_http_error',
  PlatformError: 'slack_webapi_platform_error',
  RateLimitedError: 'slack_webapi_rate_limited_error',
} as const;

/** The SDK logs through pino, ids and URLs only (it never logs the token). */
function slackLogger(warn: LogLevel, logger?: Logger): SlackLogger {
  let level = warn;
  const out = (fn: 'warn' | 'error') => (...msg: unknown[]) => logger?.[fn]({ slack: msg.map(String).join(' ').slice(0, 300) }, 'slack web api');
  return { debug: () => {}, info: () => {}, warn: out('warn'), error: out('error'), setLevel: (l) => void (level = l), getLevel: () => level, setName: () => {} };
}

export async function slackClient(token: string, options: SlackClientOptions): Promise<WebClient> {
  const { WebClient, LogLevel } = await import('@slack/web-api');
  return new WebClient(token, {
    slackApiUrl: options.apiUrl,
    timeout: options.timeoutMs,
    retryConfig: { retries: options.retries, factor: 2, minTimeout: options.minRetryMs ?? 1000, maxTimeout: 60_000, randomize: (options.minRetryMs ?? 1000) > 1 },
    rejectRateLimitedCalls: false,
    logger: slackLogger(LogLevel.WARN, options.logger),
    allowAbsoluteUrls: false,
  });
}

/** Slack's platform error code (`channel_not_found`...), or null for any other failure. */
export function platformError(error: unknown): string | null {
  const e = error as { code?: string; data?: { error?: string } };
  return e?.code === SLACK_ERROR_CODES.PlatformError ? (e.data?.error ?? 'unknown_error') : null;
}

/** What a failed call means to the sender. */
export function toNotifyError(method: string, error: unknown): NotifyError {
  if (error instanceof NotifyError) return error;
  const platform = platformError(error);
  if (platform && AUTH_ERRORS.has(platform)) return new NotifyError('NOTIFY_AUTH', `Slack refused the bot token on ${method} (${platform}): reinstall the Slack app or set a new SLACK_BOT_TOKEN`);
  if (platform && REFUSED.has(platform)) return new NotifyError('NOTIFY_REFUSED', `Slack refused ${method}: ${platform}`);
  if (platform) return new NotifyError('NOTIFY_UNAVAILABLE', `Slack answered ${method} with ${platform}`);
  const e = error as { code?: string; statusCode?: number; original?: Error; message?: string };
  if (e?.code === SLACK_ERROR_CODES.HTTPError) return new NotifyError('NOTIFY_UNAVAILABLE', `Slack answered ${method} with HTTP ${e.statusCode} after every retry`);
  if (e?.code === SLACK_ERROR_CODES.RateLimitedError) return new NotifyError('NOTIFY_UNAVAILABLE', `Slack rate limited ${method} after every retry`);
  if (e?.code === SLACK_ERROR_CODES.RequestError) return new NotifyError('NOTIFY_UNAVAILABLE', `Slack did not answer ${method} (${e.original?.name === 'TimeoutError' || /timeout|aborted/i.test(e.original?.message ?? '') ? 'timed out' : (e.original?.message ?? 'network error').slice(0, 120)}) after every retry`);
  return new NotifyError('NOTIFY_UNAVAILABLE', `Slack call ${method} failed: ${(e?.message ?? String(error)).slice(0, 200)}`);
}

export async function callSlack<T>(method: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toNotifyError(method, error);
  }
}
