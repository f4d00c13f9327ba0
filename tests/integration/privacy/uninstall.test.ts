import pino from 'pino';
import { createContext, type AppContext } from '../../../backend/src/app-context';
import { applyDataset, emptyDataset } from '../../../backend/src/import/dataset';
import { appendAudit, listAudit, verifyAudit } from '../../../backend/src/store/audit-log';
import type { Db } from '../../../backend/src/store/db';
import { keepReinstalledPortal, purgeUninstalledPortals, uninstallPortal } from '../../../backend/src/use-cases/uninstall-portal';
import { buildAccount, buildContact, defaultCriteria, OWNER } from '../../support/builders';
import { openTestDb, storeKinds } from '../../support/store';

// An app uninstalled from a HubSpot account: its tokens go at once, its data when the grace
// period ends (the daily path runs the purge), the other accounts are untouched, and both
// steps are in the audit log, which keeps verifying.

const A = 'hubspot:111';
const B = 'hubspot:222';
const DAY = 86_400_000;
const T0 = new Date('2026-11-24T09:00:00.000Z');

async function seedPortal(db: Db, portalId: string) {
  const ds = emptyDataset();
  ds.owners.push(OWNER);
  const { healthHistory: _h, ...account } = buildAccount({ accountId: `acc-${portalId.slice(-3)}` });
  ds.accounts.push(account);
  ds.contacts.push(buildContact({ contactId: `con-${portalId.slice(-3)}`, accountId: account.accountId }));
  await db.transaction(async (tx) => {
    await applyDataset(tx, portalId, ds);
    await appendAudit(tx, portalId, [{ actor: 'csm:sam', action: 'ask.transitioned', entityType: 'ask', entityId: 'ask-1', accountId: account.accountId, criteriaVersion: null, before: null, after: { status: 'completed' }, personal: { subjectId: `con-${portalId.slice(-3)}`, data: { note: 'a note about Dana' } } }], T0.toISOString());
  });
  await db.query(`INSERT INTO hubspot_tokens (portal_id, access_token_enc, refresh_token_enc, expires_at) VALUES ($1, 'v2:k:sealed-access', 'v2:k:sealed-refresh', $2)`, [portalId, T0.toISOString()]);
}

const rowsOf = async (db: Db, table: string, portalId: string) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE portal_id = $1`, [portalId])).rows[0].n;

describe.each(storeKinds())('uninstall on %s', (kind) => {
  let db: Db;
  beforeEach(async () => {
    db = await openTestDb(kind);
    await seedPortal(db, A);
    await seedPortal(db, B);
  });
  afterEach(async () => db.close());

  const at = (days: number): Promise<AppContext> =>
    createContext({ LOG_LEVEL: 'silent', UNINSTALL_GRACE_DAYS: '7' }, { db, now: () => new Date(T0.getTime() + days * DAY), criteria: defaultCriteria(), logger: pino({ level: 'silent' }) });

  it('when the app is uninstalled, then the tokens are deleted at once and the data when the grace period ends, audited, other portals untouched', async () => {
    const result = await uninstallPortal(await at(0), A, 'hubspot:app-uninstall');
    expect(result).toEqual({ purgeAfter: new Date(T0.getTime() + 7 * DAY).toISOString(), tokensDeleted: 1 });
    expect(await rowsOf(db, 'hubspot_tokens', A)).toBe(0);
    expect(await rowsOf(db, 'crm_accounts', A)).toBe(1);

    expect(await purgeUninstalledPortals(await at(6))).toEqual([]);
    expect(await rowsOf(db, 'crm_contacts', A)).toBe(1);

    const purged = await purgeUninstalledPortals(await at(8));
    expect(purged).toEqual([{ portalId: A, deleted: expect.objectContaining({ crm_accounts: 1, crm_contacts: 1, crm_owners: 1, audit_personal: 1 }) }]);
    for (const table of ['crm_accounts', 'crm_contacts', 'crm_owners', 'audit_personal', 'hubspot_tokens']) expect(await rowsOf(db, table, A)).toBe(0);
    expect(await purgeUninstalledPortals(await at(9))).toEqual([]);

    const actions = (await listAudit(db, A)).map((e) => e.action);
    expect(actions).toEqual(['ask.transitioned', 'portal.uninstalled', 'portal.purged']);
    expect(await verifyAudit(db, A)).toEqual({ ok: true, checked: 3, problems: [] });
    for (const table of ['crm_accounts', 'crm_contacts', 'audit_personal', 'hubspot_tokens']) expect(await rowsOf(db, table, B)).toBe(1);
    expect(await verifyAudit(db, B)).toEqual({ ok: true, checked: 1, problems: [] });
  });

  it('when the app is installed again within the grace period, then nothing is purged', async () => {
    await uninstallPortal(await at(0), A, 'hubspot:app-uninstall');
    expect(await keepReinstalledPortal(await at(2), A)).toBe(true);
    expect(await purgeUninstalledPortals(await at(30))).toEqual([]);
    expect(await rowsOf(db, 'crm_accounts', A)).toBe(1);
  });

  it('when the grace period is not a whole number of days from 0 to 365, then start-up names UNINSTALL_GRACE_DAYS', async () => {
    await expect(createContext({ LOG_LEVEL: 'silent', UNINSTALL_GRACE_DAYS: '-1' }, { db, criteria: defaultCriteria() })).rejects.toThrow(/UNINSTALL_GRACE_DAYS/);
  });
});
