import { ErrorCode } from '@slack/web-api';
import { SLACK_ERROR_CODES, toNotifyError } from '../../../backend/src/notify/slack/slack-client';

// slack-client.ts maps the SDK's errors without importing the SDK (it is loaded only when a
// client is built, so commands that send nothing never load it): its copy of the SDK's error
// codes must stay the SDK's own.

describe('the Slack client, loaded lazily', () => {
  it("when the SDK's error codes are compared with the adapter's copy, then they are the same values", () => {
    expect(SLACK_ERROR_CODES).toEqual({ RequestError: ErrorCode.RequestError, HTTPError: ErrorCode.HTTPError, PlatformError: ErrorCode.PlatformError, RateLimitedError: ErrorCode.RateLimitedError });
    expect(toNotifyError('chat.postMessage', { code: ErrorCode.PlatformError, data: { error: 'token_revoked' } }).code).toBe('NOTIFY_AUTH');
    expect(toNotifyError('chat.postMessage', { code: ErrorCode.HTTPError, statusCode: 503 }).message).toContain('HTTP 503');
  });
});
