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
  | 'audit.chain_keyed';

export interface AuditEntryInput {
  actor: string;
  action: AuditAction;
  entityType: string;
  entityId: string;
  accountId: string | null;
  criteriaVersion: string | null;
  before: unknown;
  after: unknown;
}
