import { randomBytes } from 'node:crypto';
import { ephemeralKeyring, fingerprint, keyring, type AuditKey } from '../../../backend/src/store/audit-keys';
import { signCheckpoint, type AuditCheckpoint } from '../../../backend/src/store/audit-checkpoint';
import { appendAudit, AuditTamperedError, currentHead, entryMac, legacyHash, listAudit, verifyAudit, type AuditEntry, type AuditEntryInput } from '../../../backend/src/store/audit-log';
import type { Db } from '../../../backend/src/store/db';
import { openTestDb, storeKinds } from '../../support/store';

// The attacks of issue 12, played by an insider with full database rights (triggers switched
// off) but without the audit key. Each is refused by the database or named by verify.

const AT = '2026-11-24T09:00:00.000Z';

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

async function log(db: Db, portal: string, from: number, to: number) {
  const list = Array.from({ length: to - from + 1 }, (_, i) => entry(from + i));
  await db.transaction((tx) => appendAudit(tx, portal, list, AT));
}

/** What a superuser can do: switch the append-only triggers off around a statement. */
async function asSuperuser(db: Db, sql: string, params: unknown[] = []) {
  await db.transaction(async (tx) => {
    await tx.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
    await tx.query('ALTER TABLE audit_head DISABLE TRIGGER USER');
    await tx.query(sql, params);
    await tx.query('ALTER TABLE audit_log ENABLE TRIGGER USER');
    await tx.query('ALTER TABLE audit_head ENABLE TRIGGER USER');
  });
}

async function checkpointOf(db: Db, portal: string): Promise<AuditCheckpoint> {
  const head = await currentHead(db, portal);
  return signCheckpoint(db.auditKeys.current(), { portalId: portal, ...head, at: AT });
}

const kinds = (problems: Array<{ problem: string }>) => [...new Set(problems.map((p) => p.problem))];

describe.each(storeKinds())('audit log tampering on %s', (kind) => {
  let db: Db;
  let n = 0;
  let portal: string;
  beforeAll(async () => {
    db = await openTestDb(kind);
  });
  afterAll(async () => db.close());
  beforeEach(() => {
    portal = `portal-${++n}`;
  });

  it('when the last 50 entries are deleted and audit_head is moved to the new tail, then verify names the head as altered, and a checkpoint names the truncation', async () => {
    await log(db, portal, 1, 120);
    const checkpoint = await checkpointOf(db, portal);
    const tail = (await listAudit(db, portal, { afterSeq: 69, limit: 1 }))[0];
    await asSuperuser(db, `DELETE FROM audit_log WHERE portal_id = $1 AND seq > 70`, [portal]);
    await asSuperuser(db, `UPDATE audit_head SET seq = 70, hash = $2 WHERE portal_id = $1`, [portal, tail.hash]);

    const alone = await verifyAudit(db, portal);
    expect(alone.ok).toBe(false);
    expect(alone.problems).toEqual([expect.objectContaining({ seq: 70, problem: 'HEAD_ALTERED' })]);
    const anchored = await verifyAudit(db, portal, { checkpoints: [checkpoint] });
    expect(anchored.problems).toEqual(expect.arrayContaining([expect.objectContaining({ seq: 120, problem: 'TRUNCATED' })]));
    await expect(log(db, portal, 121, 121)).rejects.toThrow(AuditTamperedError);
  });

  it('when the tail is deleted and a head saved earlier is put back, then only a checkpoint shows it (the limit the README states)', async () => {
    await log(db, portal, 1, 70);
    const [oldHead] = (await db.query<Record<string, unknown>>(`SELECT * FROM audit_head WHERE portal_id = $1`, [portal])).rows;
    await log(db, portal, 71, 120);
    const checkpoint = await checkpointOf(db, portal);
    await asSuperuser(db, `DELETE FROM audit_log WHERE portal_id = $1 AND seq > 70`, [portal]);
    await asSuperuser(db, `UPDATE audit_head SET seq = $2, hash = $3, mac = $4 WHERE portal_id = $1`, [portal, oldHead.seq, oldHead.hash, oldHead.mac]);

    expect(await verifyAudit(db, portal)).toEqual({ ok: true, checked: 70, problems: [] });
    const anchored = await verifyAudit(db, portal, { checkpoints: [checkpoint] });
    expect(anchored).toMatchObject({ ok: false, anchorsChecked: 1, problems: [expect.objectContaining({ seq: 120, problem: 'TRUNCATED' })] });
  });

  it('when the last 50 entries and the audit_head row are deleted, then verify reports the missing head and refuses to append', async () => {
    await log(db, portal, 1, 120);
    const checkpoint = await checkpointOf(db, portal);
    await asSuperuser(db, `DELETE FROM audit_log WHERE portal_id = $1 AND seq > 70`, [portal]);
    await asSuperuser(db, `DELETE FROM audit_head WHERE portal_id = $1`, [portal]);

    const result = await verifyAudit(db, portal, { checkpoints: [checkpoint] });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual(expect.arrayContaining([expect.objectContaining({ seq: 70, problem: 'HEAD_MISSING' }), expect.objectContaining({ seq: 120, problem: 'TRUNCATED' })]));
    expect((await verifyAudit(db, portal)).problems).toEqual([expect.objectContaining({ problem: 'HEAD_MISSING' })]);
    await expect(log(db, portal, 71, 71)).rejects.toThrow(/head of portal-\d+ is missing/);
  });

  it('when entry 60 is changed and every later hash recomputed without the key, then verify names entry 60 and every entry after it', async () => {
    await log(db, portal, 1, 100);
    const rows = await listAudit(db, portal, { limit: 1000 });
    const guessed: AuditKey = { id: rows[0].keyId!, secret: randomBytes(32) }; // the right id, the wrong secret
    let prev = rows[58].hash;
    for (const e of rows.slice(59)) {
      const changed: AuditEntry = e.seq === 60 ? { ...e, after: { decision: 'propose', readiness: 99, reasons: ['LADDER'] } } : e;
      const hash = entryMac(guessed, portal, prev, changed);
      await asSuperuser(db, `UPDATE audit_log SET after = $3, prev_hash = $4, hash = $5 WHERE portal_id = $1 AND seq = $2`, [portal, e.seq, JSON.stringify(changed.after), prev, hash]);
      prev = hash;
    }
    await asSuperuser(db, `UPDATE audit_head SET hash = $2 WHERE portal_id = $1`, [portal, prev]);

    const result = await verifyAudit(db, portal);
    expect(result.ok).toBe(false);
    const altered = result.problems.filter((p) => p.problem === 'ALTERED').map((p) => p.seq);
    expect(altered).toEqual(Array.from({ length: 41 }, (_, i) => 60 + i));
    expect(kinds(result.problems)).toEqual(['ALTERED', 'HEAD_ALTERED']);
  });

  it('when entries from 60 on are re-hashed the old unkeyed way, then verify names them as unkeyed after a keyed chain', async () => {
    await log(db, portal, 1, 80);
    const rows = await listAudit(db, portal, { limit: 1000 });
    let prev = rows[58].hash;
    for (const e of rows.slice(59)) {
      const hash = legacyHash(prev, e);
      await asSuperuser(db, `UPDATE audit_log SET key_id = NULL, prev_hash = $3, hash = $4 WHERE portal_id = $1 AND seq = $2`, [portal, e.seq, prev, hash]);
      prev = hash;
    }
    await asSuperuser(db, `UPDATE audit_head SET hash = $2, key_id = NULL, mac = NULL WHERE portal_id = $1`, [portal, prev]);
    const result = await verifyAudit(db, portal);
    expect(result.problems.filter((p) => p.problem === 'UNKEYED_AFTER_KEYED').map((p) => p.seq)).toEqual(Array.from({ length: 21 }, (_, i) => 60 + i));
    expect(kinds(result.problems)).toContain('HEAD_ALTERED');
  });

  it('when the database is asked to TRUNCATE, DELETE or UPDATE the log or its head, or to move the head back, then it refuses', async () => {
    await log(db, portal, 1, 3);
    await expect(db.query(`TRUNCATE audit_log, audit_head`)).rejects.toThrow(/append-only/);
    await expect(db.query(`TRUNCATE audit_head`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM audit_head WHERE portal_id = $1`, [portal])).rejects.toThrow(/append-only/);
    await expect(db.query(`UPDATE audit_log SET actor = 'me' WHERE portal_id = $1`, [portal])).rejects.toThrow(/append-only/);
    await expect(db.query(`UPDATE audit_head SET seq = 1 WHERE portal_id = $1`, [portal])).rejects.toThrow(/append-only/);
    expect(await verifyAudit(db, portal)).toEqual({ ok: true, checked: 3, problems: [] });
  });

  it('when a checkpoint is forged, signed with an unknown key, or disagrees with the entry it names, then verify says which', async () => {
    await log(db, portal, 1, 10);
    const good = await checkpointOf(db, portal);
    const forged = { ...good, seq: 5 };
    const stranger = signCheckpoint({ id: 'stranger', secret: randomBytes(32) }, { portalId: portal, seq: 10, hash: good.hash, at: AT });
    const [fifth] = await listAudit(db, portal, { afterSeq: 4, limit: 1 });
    const other = signCheckpoint(db.auditKeys.current(), { portalId: portal, seq: 5, hash: 'f'.repeat(64), at: AT });
    const elsewhere = signCheckpoint(db.auditKeys.current(), { portalId: 'another-portal', seq: 99, hash: fifth.hash, at: AT });
    const result = await verifyAudit(db, portal, { checkpoints: [good, forged, stranger, other, elsewhere] });
    expect(result.anchorsChecked).toBe(4);
    expect(result.problems.map((p) => [p.seq, p.problem])).toEqual([
      [5, 'ANCHOR_INVALID'],
      [5, 'ANCHOR_MISMATCH'],
      [10, 'UNKNOWN_KEY'],
    ]);
  });

  it('when the key is rotated, then entries of the old key still verify while it is kept as an old key, and are named when it is not', async () => {
    const oldKey = db.auditKeys.current();
    await log(db, portal, 1, 5);
    const secret = randomBytes(32);
    const newKey = { id: `k-${fingerprint(secret)}`, secret };
    const rotated = { ...db, auditKeys: keyring(newKey, [oldKey]) } as Db;
    const transaction = db.transaction.bind(db);
    rotated.transaction = (fn) => transaction((tx) => fn({ ...tx, auditKeys: rotated.auditKeys }));
    await log(rotated, portal, 6, 8);
    expect(await verifyAudit(rotated, portal)).toEqual({ ok: true, checked: 8, problems: [] });
    const forgotten = { ...rotated, auditKeys: keyring(newKey) } as Db;
    expect(kinds((await verifyAudit(forgotten, portal)).problems)).toEqual(['UNKNOWN_KEY']);
    expect((await listAudit(rotated, portal, { afterSeq: 5 })).map((e) => e.keyId)).toEqual([newKey.id, newKey.id, newKey.id]);
  });
});

describe.each(storeKinds())('audit log emptied by a superuser on %s', (kind) => {
  let db: Db;
  beforeEach(async () => {
    db = await openTestDb(kind, { auditKeys: ephemeralKeyring() });
  });
  afterEach(async () => db.close());

  it('when audit_log and audit_head are truncated with the triggers off, then only a checkpoint shows it, as TRUNCATED', async () => {
    await log(db, 'local', 1, 30);
    const checkpoint = await checkpointOf(db, 'local');
    await asSuperuser(db, `TRUNCATE audit_log, audit_head`);
    expect(await verifyAudit(db, 'local')).toEqual({ ok: true, checked: 0, problems: [] });
    const anchored = await verifyAudit(db, 'local', { checkpoints: [checkpoint] });
    expect(anchored.ok).toBe(false);
    expect(anchored.problems).toEqual([expect.objectContaining({ seq: 30, problem: 'TRUNCATED' })]);
  });
});
