import type { AppContext } from '../../../backend/src/app-context';
import { CrmError } from '../../../backend/src/crm/errors';
import { LocalCrm } from '../../../backend/src/crm/local/local-crm';
import { applyDataset, emptyDataset } from '../../../backend/src/import/dataset';
import { runScan } from '../../../backend/src/jobs/scan-portfolio';
import { createStore } from '../../../backend/src/store/pg-store';
import { relayOutbox } from '../../../backend/src/jobs/relay-outbox';
import { listAudit, verifyAudit } from '../../../backend/src/store/audit-log';
import type { Db } from '../../../backend/src/store/db';
import { eraseContact } from '../../../backend/src/use-cases/erase-contact';
import { recordOutcome } from '../../../backend/src/use-cases/record-outcome';
import { buildAccount, buildContact, buildNps, defaultCriteria, OWNER, TODAY } from '../../support/builders';
import { testContext } from '../../support/context';
import { openTestDb, storeKinds } from '../../support/store';

// The right to erasure, end to end on the embedded CRM: a person is scanned, asked, gives a
// quote with consent, notes and feedback are recorded; then they are erased. Nothing of
// theirs is left anywhere in the store, what was decided is, and the audit log verifies.

const PERSONAL = ['Dana', 'Reyes', 'Director of Operations', 'loved the onboarding', 'she asked for a call first', 'signed release form from Dana'];

async function seed(db: Db) {
  const ds = emptyDataset();
  ds.owners.push(OWNER);
  const { healthHistory: _h, ...account } = buildAccount({ accountId: 'acc-ready', name: 'Acme Analytics' });
  ds.accounts.push(account);
  ds.contacts.push(buildContact({ contactId: 'con-ready', accountId: 'acc-ready' }), buildContact({ contactId: 'con-other', accountId: 'acc-ready', firstName: 'Lee', lastName: 'Other', title: 'CFO' }));
  ds.nps.push({ ...buildNps({ contactId: 'con-ready' }), accountId: 'acc-ready' });
  await db.transaction((tx) => applyDataset(tx, 'local', ds));
}

/** Every row of the portal, in every table that has one, as text. */
async function everything(db: Db): Promise<string> {
  const tables = (await db.query<{ table_name: string }>(`SELECT DISTINCT table_name FROM information_schema.columns WHERE column_name = 'portal_id' AND table_schema = current_schema()`)).rows;
  const parts: string[] = [];
  for (const { table_name } of tables) parts.push(...(await db.query<{ t: string }>(`SELECT t::text AS t FROM ${table_name} t WHERE portal_id = 'local'`)).rows.map((r) => `${table_name}: ${r.t}`));
  return parts.join('\n');
}

describe.each(storeKinds())('erasing a contact on %s', (kind) => {
  let db: Db;
  let ctx: AppContext;
  beforeEach(async () => {
    db = await openTestDb(kind);
    await seed(db);
    ctx = await testContext(db);
  });
  afterEach(async () => db.close());

  async function askedAndAnswered(): Promise<string> {
    const crm = new LocalCrm(db, 'local');
    await runScan({ store: createStore(db), crm, criteria: defaultCriteria(), portalId: 'local', now: ctx.now }, { asOf: TODAY });
    await relayOutbox({ store: createStore(db), crm, portalId: 'local', now: ctx.now });
    const [ask] = (await db.query<{ ask_id: string }>(`SELECT ask_id FROM asks WHERE contact_id = 'con-ready'`)).rows;
    await recordOutcome(ctx, 'local', ask.ask_id, { status: 'sent', actor: 'csm:sam', note: 'she asked for a call first' });
    await recordOutcome(ctx, 'local', ask.ask_id, { status: 'accepted', actor: 'csm:sam' });
    await recordOutcome(ctx, 'local', ask.ask_id, { status: 'completed', actor: 'csm:sam', note: 'loved the onboarding', consent: { scope: 'quote', evidence: 'signed release form from Dana' }, feedback: { advocate: 'loved the onboarding' } });
    return ask.ask_id;
  }

  it('when a contact who was asked, consented and gave feedback is erased, then no personal data of theirs is left, the decisions are, and the log verifies', async () => {
    const askId = await askedAndAnswered();
    const before = await everything(db);
    for (const text of ['Dana', 'loved the onboarding', 'signed release form from Dana', 'she asked for a call first']) expect(before).toContain(text);

    const result = await eraseContact(ctx, 'local', 'con-ready', 'cli:erase');

    expect(result.erased).toBe(true);
    const after = await everything(db);
    for (const text of PERSONAL) expect(after).not.toContain(text);
    expect(after).toContain('Lee'); // the other contact is untouched
    const [ask] = (await db.query<Record<string, unknown>>(`SELECT ask_id, contact_id, status, completed_at, ask_type FROM asks WHERE ask_id = $1`, [askId])).rows;
    expect(ask).toMatchObject({ contact_id: 'con-ready', status: 'completed', ask_type: 'quote' });
    expect((await db.query(`SELECT scope, granted_on FROM consents WHERE contact_id = 'con-ready'`)).rows).toEqual([expect.objectContaining({ scope: 'quote' })]);
    expect(await verifyAudit(db, 'local')).toEqual({ ok: true, checked: expect.any(Number), problems: [] });
    const entries = await listAudit(db, 'local', { limit: 10_000 });
    expect(entries.filter((e) => e.personalDigest).every((e) => e.personal === null)).toBe(true);
    expect(entries[entries.length - 1]).toMatchObject({ action: 'contact.erased', entityId: 'con-ready', actor: 'cli:erase', after: { counts: expect.objectContaining({ crmContact: 1, auditPersonal: expect.any(Number) }) } });
  });

  it('when a task for the person is still waiting to be sent to the CRM, then it is never sent', async () => {
    const crm = new LocalCrm(db, 'local');
    const down = Object.assign(Object.create(crm) as LocalCrm, {
      createTasks: async () => {
        throw new CrmError('CRM_UNAVAILABLE', 'the CRM is down');
      },
      createTask: async () => {
        throw new CrmError('CRM_UNAVAILABLE', 'the CRM is down');
      },
    });
    await runScan({ store: createStore(db), crm: down, criteria: defaultCriteria(), portalId: 'local', now: ctx.now }, { asOf: TODAY }).catch(() => undefined);
    const waiting = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE status = 'pending' AND payload->>'contactId' = 'con-ready'`)).rows[0].n;
    expect(waiting).toBeGreaterThan(0);
    await eraseContact(ctx, 'local', 'con-ready', 'cli:erase');
    await relayOutbox({ store: createStore(db), crm, portalId: 'local', now: ctx.now });
    expect((await db.query(`SELECT count(*)::int AS n FROM crm_tasks WHERE contact_id = 'con-ready'`)).rows[0]).toEqual({ n: 0 });
    expect((await db.query(`SELECT DISTINCT status, last_error FROM outbox WHERE payload->>'contactId' = 'con-ready'`)).rows).toEqual([{ status: 'failed', last_error: 'CONTACT_ERASED' }]);
  });

  it('when the same erasure comes again (a replayed webhook), then nothing more is written', async () => {
    await askedAndAnswered();
    await eraseContact(ctx, 'local', 'con-ready', 'hubspot:privacyDeletion');
    const count = (await listAudit(db, 'local', { limit: 10_000 })).length;
    expect(await eraseContact(ctx, 'local', 'con-ready', 'hubspot:privacyDeletion')).toMatchObject({ erased: false });
    expect((await listAudit(db, 'local', { limit: 10_000 })).length).toBe(count);
  });

  it('when personal data is deleted or changed behind the log without an erasure, then verify names it', async () => {
    await askedAndAnswered();
    const rows = (await db.query<{ seq: number }>(`SELECT seq FROM audit_personal WHERE portal_id = 'local' ORDER BY seq`)).rows;
    expect(rows.length).toBeGreaterThanOrEqual(2);
    await expect(db.query(`UPDATE audit_personal SET data = '{"note":"x"}'`)).rejects.toThrow(/append-only/);
    await db.transaction(async (tx) => {
      await tx.query('ALTER TABLE audit_personal DISABLE TRIGGER USER');
      await tx.query(`UPDATE audit_personal SET data = '{"note":"rewritten"}' WHERE seq = $1`, [rows[0].seq]);
      await tx.query('ALTER TABLE audit_personal ENABLE TRIGGER USER');
    });
    await db.query(`DELETE FROM audit_personal WHERE seq = $1`, [rows[1].seq]);
    const result = await verifyAudit(db, 'local');
    expect(result.problems.map((p) => [p.seq, p.problem])).toEqual([
      [rows[0].seq, 'PERSONAL_ALTERED'],
      [rows[1].seq, 'PERSONAL_MISSING'],
    ]);
  });
});
