import { appendAudit, type AuditEntryInput } from '../../../backend/src/store/audit-log';
import type { Db, Keyed } from '../../../backend/src/store/db';
import { createStore } from '../../../backend/src/store/pg-store';
import { openTestDb } from '../../support/store';

// `log --verify` runs beside a service whose workers keep appending. The check reads the
// entries, then the head: read outside one snapshot, a head that moved in between made an
// intact log look cut short (seen once as a failed kill -9 worker test on Node 24).

const describeOnServer = process.env.DATABASE_URL ? describe : describe.skip;
const AT = '2026-11-24T09:00:00.000Z';
const entry = (i: number): AuditEntryInput => ({ actor: 'system:scan', action: 'candidate.evaluated', entityType: 'account', entityId: `acc-${i}`, accountId: `acc-${i}`, criteriaVersion: '2026-11-01.1', before: null, after: { decision: 'not_ready', i } });
const log = (db: Db, portal: string, from: number, to: number) => db.transaction((tx) => appendAudit(tx, portal, Array.from({ length: to - from + 1 }, (_, i) => entry(from + i)), AT));

describeOnServer('audit verify beside a writer (postgres)', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb('postgres');
  });
  afterAll(async () => db?.close());

  it('when another connection appends between the entries read and the head read, then verify still reports the log intact', async () => {
    const portal = 'portal-verify-race';
    await log(db, portal, 1, 20);
    let appended = false;
    // Every read verify makes passes here; the first read of the head lets a writer on another
    // connection append three entries (and move the head) first.
    const hook = <Q extends Keyed['query']>(query: Q): Q =>
      (async (sql: string, params?: unknown[]) => {
        if (!appended && /FROM audit_head/.test(sql)) {
          appended = true;
          await log(db, portal, 21, 23);
        }
        return query(sql, params as never);
      }) as Q;
    const watched: Db = { ...db, query: hook(db.query), transaction: (fn) => db.transaction((tx) => fn({ ...tx, query: hook(tx.query) })) };
    const result = await createStore(watched).audit.verify(portal);
    expect(appended).toBe(true);
    expect(result).toMatchObject({ ok: true, problems: [], checked: 20 });
    // And the next check sees the writer's entries, intact.
    expect(await createStore(db).audit.verify(portal)).toMatchObject({ ok: true, checked: 23 });
  });
});
