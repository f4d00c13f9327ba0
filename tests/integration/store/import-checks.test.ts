import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import type { AppContext } from '../../../backend/src/app-context';
import { idParam } from '../../../backend/src/http/validate';
import { importFile } from '../../../backend/src/import/import-file';
import { ImportError } from '../../../backend/src/import/read-import-file';
import type { Db } from '../../../backend/src/store/db';
import { testContext } from '../../support/context';
import { openTestDb } from '../../support/store';
import { useTempDirs } from '../../support/temp-dirs';

// An import checks what its rows point at and lists every problem at once, by the line a
// spreadsheet shows and the column; nothing of a refused file is stored.

const fixture = (name: string) => join(__dirname, '../../fixtures/import', name);
const count = async (db: Db, table: string) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;

describe('import checks references and reports everything', () => {
  const tempDir = useTempDirs('adv-import-checks-');
  let db: Db;
  let ctx: AppContext;
  let dir: string;
  beforeEach(async () => {
    db = await openTestDb('pglite');
    ctx = await testContext(db);
    for (const f of ['owners.csv', 'accounts.csv', 'contacts.csv']) await importFile(ctx, 'local', fixture(f));
    dir = tempDir();
  });
  afterEach(async () => db.close());

  const refused = async (name: string, content: string) => {
    const file = join(dir, name);
    writeFileSync(file, content);
    const error = await importFile(ctx, 'local', file).catch((e) => e);
    expect(error).toBeInstanceOf(ImportError);
    return error as ImportError;
  };

  it("when an NPS row names another account's contact, then it is refused at its line and column, and no fake detractor is stored", async () => {
    const error = await refused('nps.csv', 'contact_id,account_id,date,score\nc-101,a-100,2026-10-01,9\nc-201,a-100,2026-10-02,2\n');
    expect(error.problems).toEqual([{ kind: 'nps', row: 2, line: 3, column: 'contact_id', message: 'contact c-201 belongs to account a-200, not a-100' }]);
    expect(error.message).toContain('nps line 3, column contact_id: contact c-201 belongs to account a-200, not a-100');
    expect(await count(db, 'crm_nps_responses')).toBe(0);
  });

  it('when NPS, asks and consents name a contact that exists nowhere, then each row is listed', async () => {
    const error = await refused(
      'history.json',
      JSON.stringify({
        nps: [{ contact_id: 'c-ghost', account_id: 'a-100', date: '2026-10-01', score: 10 }],
        asks: [{ ask_id: 'x-1', account_id: 'a-100', contact_id: 'c-ghost', ask_type: 'review', status: 'proposed', proposed_at: '2026-10-01' }],
        consents: [{ consent_id: 'k-9', account_id: 'a-100', contact_id: 'c-ghost', scope: 'review', granted_on: '2026-10-01', evidence: 'email' }],
      }),
    );
    expect(error.problems.map((p) => `${p.kind}:${p.column}:${p.message}`)).toEqual([
      'nps:contact_id:contact c-ghost is neither in this file nor already imported',
      'asks:contact_id:contact c-ghost is neither in this file nor already imported',
      'consents:contact_id:contact c-ghost is neither in this file nor already imported',
    ]);
  });

  it('when one JSON file has a bad health score, a typo key (helth_score) and a contact of an unknown account, then all three are listed in one pass with their lines', async () => {
    const text = [
      '{',
      '  "accounts": [',
      '    { "account_id": "a-500", "name": "Hooli", "health_score": 140 },',
      '    { "account_id": "a-501", "name": "Pied Piper", "helth_score": 80 }',
      '  ],',
      '  "contacts": [',
      '    { "contact_id": "c-900", "account_id": "a-nowhere", "first_name": "Gavin" }',
      '  ]',
      '}',
    ].join('\n');
    const error = await refused('mixed.json', text);
    expect(error.problems.map((p) => [p.kind, p.line, p.column])).toEqual([
      ['accounts', 3, 'health_score'],
      ['accounts', 4, 'helth_score'],
      ['contacts', 7, 'account_id'],
    ]);
    expect(error.problems[1].message).toMatch(/^unknown column; accounts columns are account_id, name, /);
    expect(await count(db, 'crm_accounts')).toBe(3);
  });

  it('when health_score is " " (a blank cell), then it is stored as no value, not 0', async () => {
    const file = join(dir, 'accounts.csv');
    writeFileSync(file, 'account_id,name,health_score,usage_depth\na-600,Blank Co, ,  \n');
    await importFile(ctx, 'local', file);
    expect((await db.query(`SELECT health_score, usage_depth FROM crm_accounts WHERE account_id = 'a-600'`)).rows[0]).toEqual({ health_score: null, usage_depth: null });
    const required = await refused('health.csv', 'account_id,date,score\na-100,2026-10-01, \n');
    expect(required.problems).toEqual([{ kind: 'health', row: 1, line: 2, column: 'score', message: expect.any(String) }]);
  });

  it('when ids hold a space, a slash or a Cyrillic look-alike letter, then the file is refused by the same id rule the HTTP routes apply', async () => {
    const ids = ['a 700', 'a/701', 'а-702']; // the last starts with Cyrillic "а"
    const error = await refused('accounts.csv', `account_id,name\n${ids.map((id, i) => `${id},Co ${i}`).join('\n')}\n`);
    expect(error.problems.map((p) => [p.line, p.column])).toEqual([[2, 'account_id'], [3, 'account_id'], [4, 'account_id']]);
    expect(error.problems[0].message).toMatch(/must be an id of 1-128 letters, digits and _ \. : @ -/);
    for (const id of ids) expect(idParam.safeParse(id).success).toBe(false);
    expect(idParam.safeParse('a-100').success).toBe(true);
  });

  it('when a completed logo ask has no consent, then it is refused; with the consent in the same file, or already imported, it imports', async () => {
    const ask = { ask_id: 'l-1', account_id: 'a-100', contact_id: 'c-101', ask_type: 'logo', status: 'completed', proposed_at: '2026-05-01', sent_at: '2026-05-02', accepted_at: '2026-05-05', completed_at: '2026-05-20' };
    const error = await refused('history.json', JSON.stringify({ asks: [ask] }));
    expect(error.problems).toEqual([{ kind: 'asks', row: 1, line: 1, column: 'status', message: expect.stringMatching(/^a completed logo publishes the customer's name or brand: it needs a consent of scope logo/) }]);
    const consent = { consent_id: 'k-logo', account_id: 'a-100', contact_id: 'c-101', scope: 'logo', granted_on: '2026-05-04', evidence: 'signed logo release' };
    const both = join(dir, 'both.json');
    writeFileSync(both, JSON.stringify({ asks: [ask], consents: [consent] }));
    await expect(importFile(ctx, 'local', both)).resolves.toMatchObject({ asks: 1, consents: 1 });
    const later = join(dir, 'later.json');
    writeFileSync(later, JSON.stringify({ asks: [{ ...ask, ask_id: 'l-2', proposed_at: '2026-06-01', sent_at: '2026-06-02', accepted_at: '2026-06-03', completed_at: '2026-06-10' }] }));
    await expect(importFile(ctx, 'local', later)).resolves.toMatchObject({ asks: 1 });
  });

  it('when a consent expires (or is revoked) before it was granted, then the row is refused naming the column', async () => {
    const error = await refused('consents.csv', 'consent_id,account_id,contact_id,scope,granted_on,evidence,expires_on,revoked_on\nk-1,a-100,c-101,quote,2026-05-10,email,2026-05-01,\nk-2,a-100,c-101,quote,2026-05-10,email,,2026-05-09\n');
    expect(error.problems).toEqual([
      { kind: 'consents', row: 1, line: 2, column: 'expires_on', message: '2026-05-01 is before granted_on 2026-05-10' },
      { kind: 'consents', row: 2, line: 3, column: 'revoked_on', message: '2026-05-09 is before granted_on 2026-05-10' },
    ]);
  });

  it('when a cell holds a NUL byte, then the file is refused naming its line and column, not with a database stack trace', async () => {
    const error = await refused('contacts.csv', 'contact_id,account_id,first_name\nc-800,a-100,Ann\u0000ie\n');
    expect(error.problems).toEqual([{ kind: 'contacts', row: 1, line: 2, column: 'first_name', message: expect.stringMatching(/NUL character/) }]);
    expect(error.message).not.toMatch(/\n\s+at /);
    expect(await count(db, 'crm_contacts')).toBe(4);
  });

  it('when a quoted CSV cell spans two lines, then the rows after it still report the line a spreadsheet shows', async () => {
    const error = await refused('accounts.csv', 'account_id,name,health_score\na-801,"Two\nLines Inc",80\na-802,Bad,101\n');
    expect(error.problems.map((p) => [p.row, p.line, p.column])).toEqual([[2, 4, 'health_score']]);
  });
});
