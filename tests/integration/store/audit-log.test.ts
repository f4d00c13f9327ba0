import { appendAudit, listAudit, verifyAudit, type AuditEntryInput } from '../../../backend/src/store/audit-log';
import type { Db } from '../../../backend/src/store/db';
import { openTestDb, storeKinds } from '../../support/store';

const entry = (i: number): AuditEntryInput => ({
  actor: 'system:scan',
  action: 'candidate.evaluated',
  entityType: 'account',
  entityId: `acc-${i}`,
  accountId: `acc-${i}`,
  criteriaVersion: '2026-11-01.1',
  before: null,
  after: { decision: i % 2 ? 'propose' : 'not_ready', readiness: 80 + i / 10, reasons: ['LADDER'] },
});

async function withEntries(db: Db, n: number, portal = 'local') {
  await db.transaction((tx) => appendAudit(tx, portal, Array.from({ length: n }, (_, i) => entry(i + 1)), '2026-11-24T09:00:00.000Z'));
}

/** Goes around the append-only trigger, as someone with superuser rights could. */
async function tamper(db: Db, sql: string) {
  await db.exec(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update; ${sql}; ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update;`);
}

describe.each(storeKinds())('audit log on %s', (kind) => {
  let db: Db;
  beforeEach(async () => {
    db = await openTestDb(kind);
  });
  afterEach(async () => db.close());

  it('when entries are appended in several transactions, then the chain verifies and reads back in order', async () => {
    await withEntries(db, 3);
    await withEntries(db, 2);
    const result = await verifyAudit(db, 'local');
    expect(result).toEqual({ ok: true, checked: 5, problems: [] });
    expect((await listAudit(db, 'local')).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('when the application tries to update or delete an entry, then the store refuses', async () => {
    await withEntries(db, 2);
    await expect(db.query(`UPDATE audit_log SET actor = 'me' WHERE seq = 1`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM audit_log WHERE seq = 2`)).rejects.toThrow(/append-only/);
  });

  it('when an entry is altered behind the log, then verify names it as altered', async () => {
    await withEntries(db, 4);
    await tamper(db, `UPDATE audit_log SET after = '{"decision":"propose","readiness":99,"reasons":["LADDER"]}' WHERE seq = 2`);
    const result = await verifyAudit(db, 'local');
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([expect.objectContaining({ seq: 2, problem: 'ALTERED' })]);
  });

  it('when an entry in the middle is deleted, then verify reports the gap', async () => {
    await withEntries(db, 4);
    await tamper(db, `DELETE FROM audit_log WHERE seq = 3`);
    const result = await verifyAudit(db, 'local');
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.problem)).toEqual(expect.arrayContaining(['MISSING', 'BROKEN_LINK']));
  });

  it('when the last entry is deleted, then verify sees the log end before its head', async () => {
    await withEntries(db, 4);
    await tamper(db, `DELETE FROM audit_log WHERE seq = 4`);
    const result = await verifyAudit(db, 'local');
    expect(result.problems).toEqual([expect.objectContaining({ problem: 'TAIL_MISMATCH' })]);
  });

  it('when two portals log, then each has its own chain and reads only its own entries', async () => {
    await withEntries(db, 2, 'portal-a');
    await withEntries(db, 3, 'portal-b');
    expect((await listAudit(db, 'portal-a')).length).toBe(2);
    expect((await verifyAudit(db, 'portal-a')).ok).toBe(true);
    expect((await verifyAudit(db, 'portal-b')).checked).toBe(3);
  });
});
