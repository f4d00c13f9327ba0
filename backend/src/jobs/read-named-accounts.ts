import { CrmError } from '../crm/errors';
import type { AccountSignals, CrmPort } from '../crm/port';

// Named accounts through the CRM's batch read. An account that could not be read fails the
// page (the refresh resumes from its checkpoint, its watermarks unmoved); null is an account
// the CRM no longer has.

export async function readNamedAccounts(crm: CrmPort, accountIds: string[]): Promise<Map<string, AccountSignals | null>> {
  const out = new Map<string, AccountSignals | null>();
  if (accountIds.length === 0) return out;
  for (const [id, read] of await crm.getAccounts(accountIds)) {
    if (read instanceof CrmError) throw read;
    out.set(id, read);
  }
  return out;
}
