// What the audit log records about a change, in the domain's words: who did what to which
// entity, under which criteria version, before and after. The store chains and keeps them.

export type AuditAction =
  | 'candidate.evaluated'
  | 'ask.proposed'
  | 'ask.created'
  | 'ask.transitioned'
  | 'ask.note_edited'
  | 'handoff.raised'
  | 'task.created'
  | 'consent.recorded'
  | 'consent.revoked'
  | 'reference.requested'
  | 'reference.reminder_raised'
  | 'import.applied'
  | 'audit.chain_keyed'
  | 'contact.erased'
  | 'portal.uninstalled'
  | 'portal.tokens_revoked'
  | 'portal.purged'
  | 'salesforce.org_key_issued'
  | 'salesforce.org_key_revoked'
  | 'notification.sent'
  | 'ask.snoozed'
  | 'messaging.installed';

export interface AuditEntryInput {
  actor: string;
  action: AuditAction;
  entityType: string;
  entityId: string;
  accountId: string | null;
  criteriaVersion: string | null;
  before: unknown;
  after: unknown;
  /**
   * Personal data the entry needs (a note, feedback, consent evidence), about one person
   * (null: the account as a whole). Kept beside the entry, outside its MAC, so it can be
   * erased; the MAC covers the person's id and a salted digest of it.
   */
  personal?: { subjectId: string | null; data: Record<string, unknown> };
}
