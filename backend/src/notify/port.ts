import type { Notice } from '../domain/notices';

// The notifier port, in the domain's words: deliver a notice to its CSM, and show on the
// delivered message what was done about it. One adapter per messaging tool (slack/), and the
// embedded default (audit-log-notifier.ts) that records what would have been sent. Nothing
// vendor-specific crosses this line: a Teams or email adapter would implement the same two calls.

export interface NoticeLinks {
  /** The account's record in the CRM (HubSpot company, Salesforce Account), when it has a web address. */
  record: string | null;
}

/** Where a notice went: the adapter's own words for it (a channel and a message id), kept to update it. */
export interface Delivery {
  via: string;
  to: string | null;
  ref: string | null;
}

/** What was done from (or about) the message: shown in its place. */
export interface NoticeOutcome {
  /** e.g. "Marked sent", "Snoozed until 2026-12-08", "Declined: no capacity". */
  text: string;
  /** Who did it, as the messaging tool names them (or the audit actor). */
  by: string;
}

export interface Notifier {
  readonly via: string;
  deliver(notice: Notice, links: NoticeLinks): Promise<Delivery>;
  /** Replaces the message's buttons with what was done. */
  update(delivery: Delivery, notice: Notice, links: NoticeLinks, outcome: NoticeOutcome): Promise<void>;
}

export type NotifyErrorCode =
  /** The tool refused our credentials (token revoked, app uninstalled): nothing more can be sent until it is fixed. */
  | 'NOTIFY_AUTH'
  /** The tool did not answer, or answered 5xx / 429 past every retry: try again later. */
  | 'NOTIFY_UNAVAILABLE'
  /** The tool refused this message (no such channel...): sending it again cannot help. */
  | 'NOTIFY_REFUSED';

export class NotifyError extends Error {
  constructor(
    readonly code: NotifyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'NotifyError';
  }
  get retryable(): boolean {
    return this.code === 'NOTIFY_UNAVAILABLE';
  }
  /** Stop the whole batch: every other message would fail the same way. */
  get stopsBatch(): boolean {
    return this.code === 'NOTIFY_AUTH';
  }
}
