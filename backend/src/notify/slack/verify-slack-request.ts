import { createHmac, timingSafeEqual } from 'node:crypto';

// Slack's request signing, v0: `X-Slack-Signature` = `v0=` + hex HMAC-SHA256 under the app's
// signing secret of `v0:` + `X-Slack-Request-Timestamp` (seconds) + `:` + the raw body, exactly
// the bytes received. Checked before the body is parsed; compared in constant time; a timestamp
// more than 5 minutes from now is refused, and so is a signature seen before (the store's replay
// cache, shared by every process and kept across restarts).

export const SLACK_MAX_AGE_S = 5 * 60;

export interface SlackReplayGuard {
  /** True when the signature was already used (and records it otherwise). */
  checkAndRemember(signature: string, now: number): boolean | Promise<boolean>;
}

export type SlackSignatureFailure = 'MISSING_SIGNATURE' | 'STALE_SIGNATURE' | 'INVALID_SIGNATURE' | 'REPLAYED_SIGNATURE';

export function slackSignature(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(rawBody).digest('hex')}`;
}

export async function verifySlackRequest(
  input: { signature: string | undefined; timestamp: string | undefined; rawBody: Buffer },
  options: { signingSecret: string; nowMs: number; replays: SlackReplayGuard },
): Promise<{ ok: true } | { ok: false; code: SlackSignatureFailure; message: string }> {
  const { signature, timestamp } = input;
  if (!signature || !timestamp) return { ok: false, code: 'MISSING_SIGNATURE', message: 'X-Slack-Signature and X-Slack-Request-Timestamp are required' };
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(options.nowMs / 1000 - Number(timestamp)) > SLACK_MAX_AGE_S) {
    return { ok: false, code: 'STALE_SIGNATURE', message: 'the request timestamp is more than 5 minutes from now' };
  }
  const want = Buffer.from(slackSignature(options.signingSecret, timestamp, input.rawBody));
  const got = Buffer.from(signature);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return { ok: false, code: 'INVALID_SIGNATURE', message: 'the Slack signature does not match the body' };
  if (await options.replays.checkAndRemember(`slack:${signature}`, options.nowMs)) return { ok: false, code: 'REPLAYED_SIGNATURE', message: 'this signed request was already received' };
  return { ok: true };
}
