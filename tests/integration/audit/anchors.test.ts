import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { createContext, type AppContext } from '../../../backend/src/app-context';
import { LocalCrm } from '../../../backend/src/crm/local/local-crm';
import type { CrmPort } from '../../../backend/src/crm/port';
import { appendAudit, AuditTamperedError, legacyHash, listAudit, verifyAudit, type AuditEntryInput } from '../../../backend/src/store/audit-log';
import type { Db } from '../../../backend/src/store/db';
import { anchorAudit, verifyAuditLog } from '../../../backend/src/use-cases/anchor-audit';
import { defaultCriteria } from '../../support/builders';
import { openTestDb, storeKinds } from '../../support/store';
import { useTempDirs } from '../../support/temp-dirs';

// Checkpoints written outside the database: the operator's anchor file and the CRM (here the
// local CRM's own table, or a CRM that fails), and verify against all of them.

const AT = '2026-11-24T09:00:00.000Z';
const entry = (i: number): AuditEntryInput => ({ actor: 'system:scan', action: 'candidate.evaluated', entityType: 'account', entityId: `acc-${i}`, accountId: `acc-${i}`, criteriaVersion: '2026-11-01.1', before: null, after: { decision: 'not_ready', i } });
const log = (db: Db, portal: string, from: number, to: number) => db.transaction((tx) => appendAudit(tx, portal, Array.from({ length: to - from + 1 }, (_, i) => entry(from + i)), AT));

async function asSuperuser(db: Db, sql: string, params: unknown[] = []) {
  await db.transaction(async (tx) => {
    await tx.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
    await tx.query('ALTER TABLE audit_head DISABLE TRIGGER USER');
    await tx.query(sql, params);
    await tx.query('ALTER TABLE audit_log ENABLE TRIGGER USER');
    await tx.query('ALTER TABLE audit_head ENABLE TRIGGER USER');
  });
}

describe.each(storeKinds())('audit checkpoints on %s', (kind) => {
  const tempDir = useTempDirs('advocacy-anchors-');
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

  const contextWith = (env: Record<string, string>, crmFor: (p: string) => CrmPort = (p) => new LocalCrm(db, p)): Promise<AppContext> =>
    createContext({ LOG_LEVEL: 'silent', ...env }, { db, crmFor, now: () => new Date(AT), criteria: defaultCriteria(), logger: pino({ level: 'silent' }) });

  it('when the log is anchored, then a signed checkpoint of its head is appended to the anchor file and kept by the CRM, and verify checks both', async () => {
    const file = join(tempDir(), 'elsewhere', 'anchors.jsonl');
    const ctx = await contextWith({ AUDIT_ANCHOR_FILE: file });
    await log(db, portal, 1, 12);
    const outcome = await anchorAudit(ctx, portal);
    expect(outcome).toMatchObject({ sealed: false, checkpoint: { v: 1, portalId: portal, seq: 12, at: AT, keyId: db.auditKeys.current().id, sig: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(outcome.destinations).toEqual([{ to: file, ok: true }, { to: 'crm:local', ok: true }]);
    expect(readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l))).toEqual([outcome.checkpoint]);
    expect(await new LocalCrm(db, portal).latestAuditCheckpoint()).toEqual(outcome.checkpoint);

    const verified = await verifyAuditLog(ctx, portal);
    expect(verified).toMatchObject({ ok: true, checked: 12, anchorsChecked: 2, sources: [{ source: file, checkpoints: 1 }, { source: 'crm:local', checkpoints: 1 }] });
  });

  it('when entries after a checkpoint are deleted with the head moved back, then verify names the truncation from the CRM copy alone, and the next anchor refuses', async () => {
    const ctx = await contextWith({ AUDIT_ANCHOR_FILE: join(tempDir(), 'a.jsonl') });
    await log(db, portal, 1, 20);
    const [oldHead] = (await db.query<Record<string, unknown>>(`SELECT * FROM audit_head WHERE portal_id = $1`, [portal])).rows;
    await log(db, portal, 21, 30);
    await anchorAudit(ctx, portal);
    await asSuperuser(db, `DELETE FROM audit_log WHERE portal_id = $1 AND seq > 20`, [portal]);
    await asSuperuser(db, `UPDATE audit_head SET seq = $2, hash = $3, mac = $4 WHERE portal_id = $1`, [portal, oldHead.seq, oldHead.hash, oldHead.mac]);
    const withoutFile = await contextWith({ AUDIT_ANCHOR_FILE: join(tempDir(), 'none.jsonl') });

    const verified = await verifyAuditLog(withoutFile, portal);
    expect(verified.ok).toBe(false);
    expect(verified.problems).toEqual([expect.objectContaining({ seq: 30, problem: 'TRUNCATED' })]);
    await expect(anchorAudit(ctx, portal)).rejects.toThrow(AuditTamperedError);
  });

  it('when the anchor file cannot be written and the CRM refuses, then each failure is named and verify still reads what it can', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'is-a-folder'));
    const failing: CrmPort = Object.assign(Object.create(new LocalCrm(db, portal)) as CrmPort, {
      kind: 'hubspot' as const,
      saveAuditCheckpoint: async () => {
        throw new Error('HubSpot answered 503');
      },
      latestAuditCheckpoint: async () => {
        throw new Error('HubSpot answered 429');
      },
    });
    const ctx = await contextWith({ AUDIT_ANCHOR_FILE: join(dir, 'is-a-folder') }, () => failing);
    await log(db, portal, 1, 3);
    const outcome = await anchorAudit(ctx, portal);
    expect(outcome.destinations).toEqual([
      { to: join(dir, 'is-a-folder'), ok: false, error: expect.stringMatching(/EISDIR/) },
      { to: 'crm:hubspot', ok: false, error: 'HubSpot answered 503' },
    ]);
    const verified = await verifyAuditLog(await contextWith({ AUDIT_ANCHOR_FILE: join(dir, 'x.jsonl') }, () => failing), portal);
    expect(verified).toMatchObject({ ok: true, sources: [{ source: 'crm:hubspot', checkpoints: 0, error: 'HubSpot answered 429' }] });
  });

  it('when another process appends and anchors a later head while this one anchors, then this one writes nothing older and reports no tampering', async () => {
    const file = join(tempDir(), 'race.jsonl');
    const ctx = await contextWith({ AUDIT_ANCHOR_FILE: file });
    const other = await contextWith({ AUDIT_ANCHOR_FILE: file });
    await log(db, portal, 1, 10);
    // This process reads its head (seq 10); before it reads the newest checkpoint, a worker
    // beside it appends two entries and anchors seq 12.
    const ownCheckpoint = ctx.store.audit.checkpoint.bind(ctx.store.audit);
    ctx.store.audit.checkpoint = async (...args) => {
      const mine = await ownCheckpoint(...args);
      await log(db, portal, 11, 12);
      await anchorAudit(other, portal);
      return mine;
    };
    const outcome = await anchorAudit(ctx, portal);
    expect(outcome).toMatchObject({ checkpoint: { seq: 12 }, destinations: [], coveredByNewer: true });
    expect(readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l).seq)).toEqual([12]);
    expect(await verifyAuditLog(other, portal)).toMatchObject({ ok: true, checked: 12 });
  });

  it('when an anchor file given to verify is missing or has a line that is not a checkpoint, then verify names it', async () => {
    const dir = tempDir();
    const ctx = await contextWith({ AUDIT_ANCHOR_FILE: join(dir, 'anchors.jsonl') });
    await log(db, portal, 1, 4);
    await anchorAudit(ctx, portal);
    appendFileSync(join(dir, 'anchors.jsonl'), '{"v":1,"portalId":"x"}\n');
    const verified = await verifyAuditLog(ctx, portal, [join(dir, 'missing.jsonl')]);
    expect(verified.ok).toBe(false);
    expect(verified.problems.map((p) => p.problem)).toEqual(['ANCHOR_INVALID', 'ANCHOR_INVALID']);
    expect(verified.problems.map((p) => p.detail).join('\n')).toMatch(/line 2 of .*anchors.jsonl[\s\S]*cannot read .*missing.jsonl/);
  });

  it('when a log predates keyed MACs, then verify says how far it is unkeyed, and anchoring marks the start of the keyed chain with a signed entry that pins it', async () => {
    // Written the way the store did before migration 012: unkeyed SHA-256, an unsigned head.
    let prev = '0'.repeat(64);
    for (let seq = 1; seq <= 5; seq++) {
      const e = { ...entry(seq), seq, at: AT, before: null };
      const hash = legacyHash(prev, e);
      await db.query(
        `INSERT INTO audit_log (portal_id, seq, at, actor, action, entity_type, entity_id, account_id, criteria_version, before, after, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)`,
        [portal, seq, AT, e.actor, e.action, e.entityType, e.entityId, e.accountId, e.criteriaVersion, null, JSON.stringify(e.after), prev, hash],
      );
      prev = hash;
    }
    await db.query(`INSERT INTO audit_head (portal_id, seq, hash) VALUES ($1, 5, $2)`, [portal, prev]);
    expect(await verifyAudit(db, portal)).toEqual({ ok: true, checked: 5, problems: [], unkeyedThrough: 5 });

    const ctx = await contextWith({ AUDIT_ANCHOR_FILE: join(tempDir(), 'a.jsonl') });
    const outcome = await anchorAudit(ctx, portal);
    expect(outcome).toMatchObject({ sealed: true, checkpoint: { seq: 6 } });
    const [marker] = await listAudit(db, portal, { afterSeq: 5 });
    expect(marker).toMatchObject({ seq: 6, action: 'audit.chain_keyed', keyId: db.auditKeys.current().id, prevHash: prev, after: { unkeyedThrough: 5, unkeyedHead: prev } });
    await log(db, portal, 7, 8);
    expect(await verifyAudit(db, portal)).toEqual({ ok: true, checked: 8, problems: [], unkeyedThrough: 5 });

    // Rewriting the unkeyed part, even with every unkeyed hash recomputed, no longer fits the marker.
    const rows = await listAudit(db, portal, { limit: 5 });
    let p = '0'.repeat(64);
    for (const e of rows) {
      const changed = e.seq === 2 ? { ...e, after: { decision: 'propose' } } : e;
      const hash = legacyHash(p, changed);
      await asSuperuser(db, `UPDATE audit_log SET after = $3, prev_hash = $4, hash = $5 WHERE portal_id = $1 AND seq = $2`, [portal, e.seq, JSON.stringify(changed.after), p, hash]);
      p = hash;
    }
    const result = await verifyAudit(db, portal);
    expect(result.problems).toEqual([expect.objectContaining({ seq: 6, problem: 'BROKEN_LINK' })]);
  });
});
