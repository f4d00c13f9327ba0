import { join } from 'node:path';
import { LocalCrm } from '../../../backend/src/crm/local/local-crm';
import { writeFileSync } from 'node:fs';
import type { AppContext } from '../../../backend/src/app-context';
import { importFile } from '../../../backend/src/import/import-file';
import { ImportError } from '../../../backend/src/import/read-import-file';
import type { Db } from '../../../backend/src/store/db';
import { testContext } from '../../support/context';
import { openTestDb, storeKinds } from '../../support/store';
import { useTempDirs } from '../../support/temp-dirs';

const fixture = (name: string) => join(__dirname, '../../fixtures/import', name);
const count = async (db: Db, table: string) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;

describe.each(storeKinds())('import on %s', (kind) => {
  const tempDir = useTempDirs('adv-import-');
  let db: Db;
  let ctx: AppContext;
  beforeEach(async () => {
    db = await openTestDb(kind);
    ctx = await testContext(db);
  });
  afterEach(async () => db.close());

  it('when valid CSV files are imported, then accounts, contacts and NPS land with their values', async () => {
    await importFile(ctx, 'local', fixture('owners.csv'));
    expect(await importFile(ctx, 'local', fixture('accounts.csv'))).toMatchObject({ accounts: 3 });
    await importFile(ctx, 'local', fixture('contacts.csv'));
    await importFile(ctx, 'local', fixture('nps.csv'));
    const acme = (await db.query(`SELECT health_score, products, strategic, customer_since FROM crm_accounts WHERE account_id = 'a-100'`)).rows[0];
    expect(acme).toEqual({ health_score: 88, products: ['core', 'analytics'], strategic: false, customer_since: '2024-03-01' });
    expect((await db.query(`SELECT do_not_contact FROM crm_contacts WHERE contact_id = 'c-202'`)).rows[0]).toEqual({ do_not_contact: true });
    expect(await count(db, 'crm_nps_responses')).toBe(3);
  });

  it('when the same ids are imported again with some columns, then those columns update, the rest stay, and nothing duplicates', async () => {
    await importFile(ctx, 'local', fixture('accounts.csv'));
    const dir = tempDir();
    const changed = join(dir, 'accounts.csv');
    writeFileSync(changed, 'account_id,name,health_score\na-100,Acme Analytics Inc,95\n');
    await importFile(ctx, 'local', changed);
    expect(await count(db, 'crm_accounts')).toBe(3);
    expect((await db.query(`SELECT name, health_score, owner_id, industry FROM crm_accounts WHERE account_id = 'a-100'`)).rows[0]).toEqual({ name: 'Acme Analytics Inc', health_score: 95, owner_id: 'csm-1', industry: 'SaaS' });
  });

  it('when accounts say what they can speak to as references, then the lists are kept, and a sheet without them leaves them be', async () => {
    const dir = tempDir();
    const file = join(dir, 'accounts.csv');
    writeFileSync(file, 'account_id,name,use_cases,competitors_replaced,languages\na-900,Topics Inc,onboarding; churn prevention,Gainsight,English;German\n');
    await importFile(ctx, 'local', file);
    writeFileSync(file, 'account_id,name,health_score\na-900,Topics Inc,90\n');
    await importFile(ctx, 'local', file);
    const account = (await new LocalCrm(db, 'local').getAccount('a-900'))!.account;
    expect([account.useCases, account.competitorsReplaced, account.languages, account.healthScore]).toEqual([['onboarding', 'churn prevention'], ['Gainsight'], ['English', 'German'], 90]);
  });

  it('when a file has bad rows, then nothing is imported and each bad row and column is listed', async () => {
    await importFile(ctx, 'local', fixture('accounts.csv'));
    const before = (await db.query(`SELECT * FROM crm_accounts ORDER BY account_id`)).rows;
    const error = await importFile(ctx, 'local', fixture('accounts-bad.csv')).catch((e) => e);
    expect(error).toBeInstanceOf(ImportError);
    const where = (error as ImportError).problems.map((p) => `${p.row}:${p.column}`);
    expect(where).toEqual(expect.arrayContaining(['1:health_score', '2:account_id', '2:customer_since', '2:strategic', '3:csat', '3:open_escalations']));
    expect((error as ImportError).message).toMatch(/nothing was imported/);
    expect((await db.query(`SELECT * FROM crm_accounts ORDER BY account_id`)).rows).toEqual(before);
  });

  it('when rows point at an account that exists nowhere, then the file is refused naming the row', async () => {
    const dir = tempDir();
    const file = join(dir, 'contacts.csv');
    writeFileSync(file, 'contact_id,account_id,first_name\nc-1,a-missing,Ann\n');
    const error = (await importFile(ctx, 'local', file).catch((e) => e)) as ImportError;
    expect(error.problems).toEqual([{ kind: 'contacts', row: 1, line: 2, column: 'account_id', message: expect.stringContaining('a-missing') }]);
    expect(await count(db, 'crm_contacts')).toBe(0);
  });

  it('when a JSON file holds several sections, then asks and consents import with their step dates', async () => {
    await importFile(ctx, 'local', fixture('accounts.csv'));
    await importFile(ctx, 'local', fixture('contacts.csv'));
    await importFile(ctx, 'local', fixture('history.json'));
    await importFile(ctx, 'local', fixture('history.json'));
    expect(await count(db, 'asks')).toBe(1);
    expect((await db.query(`SELECT status, completed_at FROM asks WHERE ask_id = 'h-1'`)).rows[0]).toEqual({ status: 'completed', completed_at: '2026-03-20T12:00:00.000Z' });
    expect(await count(db, 'consents')).toBe(1);
  });

  it('when an ask says completed but gives no completion date, then the row is refused', async () => {
    await importFile(ctx, 'local', fixture('accounts.csv'));
    const dir = tempDir();
    const file = join(dir, 'asks.csv');
    writeFileSync(file, 'ask_id,account_id,ask_type,status,proposed_at,sent_at\nx-1,a-100,quote,completed,2026-01-01,2026-01-02\n');
    const error = (await importFile(ctx, 'local', file).catch((e) => e)) as ImportError;
    expect(error.problems[0]).toMatchObject({ row: 1, column: 'status' });
  });

  it('when the file kind cannot be told, then the error says how to name it', async () => {
    const dir = tempDir();
    const file = join(dir, 'export.csv');
    writeFileSync(file, 'account_id,name\na-1,A\n');
    await expect(importFile(ctx, 'local', file)).rejects.toThrow(/--kind/);
  });
});
