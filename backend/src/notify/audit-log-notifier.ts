import type { Notice } from '../domain/notices';
import type { Delivery, Notifier } from './port';

// The embedded default, with no messaging tool configured: a notice is "delivered" to the audit
// log (the sender writes a `notification.sent` entry for every delivery, in the transaction that
// marks it sent), and `advocacy notifications` lists what would have been sent, and to whom.

export class AuditLogNotifier implements Notifier {
  readonly via = 'audit_log';

  async deliver(notice: Notice): Promise<Delivery> {
    return { via: this.via, to: notice.recipient.email ?? notice.recipient.ownerId, ref: null };
  }

  async update(): Promise<void> {
    // The audit log already holds the action itself; there is no message to change.
  }
}
