import nock from 'nock';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../backend/src/cli/main';
import type { CliIo } from '../../backend/src/cli/io';

// `advocacy setup hubspot` in-process (so nock sees its calls), on a temporary data folder.

const API = 'https://api.hubapi.com';
const AT = '2026-11-24T09:00:00.000Z';
const WRITE_BACK = ['advocacy_readiness_score', 'advocacy_readiness_band', 'advocacy_status', 'advocacy_last_ask_date'];
const property = (name: string) => ({ name, label: name, type: 'string', fieldType: 'text', groupName: 'advocacy_loop', description: '', options: [], displayOrder: -1, calculated: false, externalOptions: false, hasUniqueValue: false, hidden: false, formField: false, createdAt: AT, updatedAt: AT, archived: false });

function io(env: Record<string, string>): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, env, out: () => out, err: () => err };
}

describe('advocacy setup hubspot', () => {
  let dir: string;
  beforeAll(() => nock.disableNetConnect());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'advocacy-setup-'));
  });
  afterEach(() => {
    nock.cleanAll();
    rmSync(dir, { recursive: true, force: true });
  });
  afterAll(() => nock.enableNetConnect());

  const env = (extra: Record<string, string> = {}) => ({ DATA_DIR: dir, LOG_LEVEL: 'silent', CRM: 'hubspot', PORTAL_ID: 'hubspot:5551234', HUBSPOT_ACCESS_TOKEN: 'pat-na1-test', ...extra });

  it('when the portal has no custom objects, then setup says it runs on notes, and a second run finds everything there', async () => {
    const calls = () => {
      nock(API, { reqheaders: { authorization: 'Bearer pat-na1-test' } }).post('/crm/v3/properties/companies/groups').reply(409, { status: 'error', message: 'exists', category: 'OBJECT_ALREADY_EXISTS', correlationId: 'c' });
      nock(API).post('/crm/v3/properties/companies/batch/read').reply(200, { status: 'COMPLETE', results: WRITE_BACK.map(property), startedAt: AT, completedAt: AT });
      nock(API).get('/crm-object-schemas/v3/schemas').query(true).reply(403, { status: 'error', message: 'This portal does not have access to custom objects', correlationId: 'x', category: 'MISSING_SCOPES' });
    };
    calls();
    const first = io(env());
    expect(await run(['setup', 'hubspot'], first)).toBe(0);
    expect(nock.isDone()).toBe(true);
    expect(first.out()).toMatch(/HubSpot hubspot:5551234/);
    expect(first.out()).toMatch(/mode: notes/);
    expect(first.out()).toMatch(/already there: .*advocacy_readiness_score/);
    expect(first.out()).not.toContain('pat-na1-test');
    calls();
    const second = io(env());
    expect(await run(['setup', 'hubspot'], second)).toBe(0);
    expect(second.out()).toMatch(/created: nothing/);
  });

  it('when HubSpot refuses the token, then setup exits non-zero naming the problem', async () => {
    nock(API).post('/crm/v3/properties/companies/groups').reply(401, { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION', correlationId: 'c' });
    nock(API).post('/crm/v3/properties/companies/batch/read').optionally().reply(401, { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION', correlationId: 'c' });
    nock(API).get('/crm-object-schemas/v3/schemas').query(true).optionally().reply(401, { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION', correlationId: 'c' });
    const r = io(env());
    expect(await run(['setup', 'hubspot'], r)).not.toBe(0);
    expect(r.err()).toMatch(/token|auth/i);
    expect(r.err()).not.toContain('pat-na1-test');
  });

  it('when the settings are incomplete, then exit 2 lists each one', async () => {
    const r = io({ DATA_DIR: dir, LOG_LEVEL: 'silent', CRM: 'hubspot', PORTAL_ID: '5551234', HUBSPOT_ACCESS_TOKEN: 'pat' });
    expect(await run(['setup', 'hubspot'], r)).toBe(2);
    expect(r.err()).toMatch(/PORTAL_ID/);
    expect(await run(['setup', 'pipedrive'], io(env()))).toBe(2);
  });
});
