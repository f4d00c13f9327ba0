import { readSources } from './sources';

// SQL lives in backend/src/store/ (the store port's one implementation) and in
// backend/src/crm/local/ (the embedded CRM's own tables). Salesforce's adapter may hold SOQL,
// Salesforce's own query language over its objects: a SELECT from a PascalCase sObject
// (Account, Contact, Opportunity), never a statement that writes.

const SQL = [/\bSELECT\s+[\w*(]/, /\bINSERT\s+INTO\b/, /\bUPDATE\s+\w+(\s+\w+)?\s+SET\b/, /\bDELETE\s+FROM\b/, /\b(CREATE|ALTER|DROP)\s+(TABLE|INDEX|SCHEMA|TRIGGER)\b/, /\bON\s+CONFLICT\b/];
const looksLikeSql = (text: string) => SQL.some((re) => re.test(text));
const isSoql = (text: string) => /\bSELECT\b[\s\S]*\bFROM\s+[A-Z][A-Za-z]*\b/.test(text) && !/\b(INSERT|UPDATE|DELETE|ON CONFLICT)\b/.test(text) && !/\bFROM\s+[a-z_]+\b/.test(text);

const ALLOWED = ['backend/src/store/', 'backend/src/crm/local/'];

describe('where SQL lives', () => {
  const files = readSources(['backend/src', 'objects']);

  it('when the sources are read, then the detector sees the SQL the store holds (so the checks below can fail)', () => {
    const outbox = files.find((f) => f.path === 'backend/src/store/outbox.ts')!;
    expect(outbox.literals.filter(looksLikeSql).length).toBeGreaterThan(3);
    expect(looksLikeSql("SELECT account_id FROM crm_accounts WHERE portal_id = $1")).toBe(true);
    expect(isSoql("SELECT Id, Name FROM Account WHERE Id = '001'")).toBe(true);
    expect(isSoql('SELECT account_id FROM crm_accounts')).toBe(false);
  });

  it('when every file outside the store and the local CRM is read, then none holds SQL', () => {
    const offenders = files
      .filter((f) => !ALLOWED.some((dir) => f.path.startsWith(dir)))
      .flatMap((f) => f.literals.filter(looksLikeSql).filter((text) => !(f.path.startsWith('backend/src/crm/salesforce/') && isSoql(text))).map((text) => `${f.path}: ${text.replace(/\s+/g, ' ').slice(0, 80)}`));
    expect(offenders).toEqual([]);
  });
});
