import type { IsoDate } from './types';

// A task for the owning CSM, in the domain's words: what the app asks a CRM to create. It lives
// here (not in the CRM port) because the store keeps it in the outbox before any CRM sees it.

export interface CrmTask {
  /** Same key, same task: adapters must not create a second task for a key they have seen. */
  idempotencyKey: string;
  kind: 'ask' | 'handoff' | 'reference_request';
  ownerId: string;
  accountId: string;
  contactId: string | null;
  dealId: string | null;
  subject: string;
  body: string;
  dueOn: IsoDate;
}
