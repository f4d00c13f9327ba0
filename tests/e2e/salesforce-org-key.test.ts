import { spawn, spawnSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { useTempDirs } from '../support/temp-dirs';

// An admin's way through it with the real command: issue the org's key, serve, the Lightning
// components' controller calls with it (as the External Credential and the Apex would), the
// action is audited as the Salesforce user, the key is revoked beside the running service.

const ROOT = join(__dirname, '../..');
const BIN = join(ROOT, 'bin/advocacy.js');
const FIXTURES = join(ROOT, 'tests/fixtures/import');
const ORG = '00D5g000004E2EAEAA';
const USER = '0055g00000CSMAAAA2';
const env = (dataDir: string) => ({ PATH: process.env.PATH, DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0', PORTAL_ID: 'salesforce:00D5g000004E2EA' });

function cli(dataDir: string, args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: env(dataDir), encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function call(url: string, key: string, method = 'GET', body?: unknown): Promise<{ status: number; body: { error?: { code: string }; [k: string]: unknown } }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string | number> = { 'x-advocacy-org-key': key, 'x-advocacy-org-id': ORG, 'x-advocacy-user-id': USER };
    if (data) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
    const req = httpRequest(url, { method, agent: false, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

describe('advocacy setup salesforce --issue-key, then the components call the service with it', () => {
  const tempDir = useTempDirs('advocacy-sf-key-');

  it('when the admin issues a key and the controller calls with it, then the org is served and audited as the user, until the key is revoked', async () => {
    const dir = tempDir();
    for (const f of ['owners.csv', 'accounts.csv', 'contacts.csv']) expect(cli(dir, ['import', join(FIXTURES, f)])).toMatchObject({ code: 0 });
    const issued = cli(dir, ['setup', 'salesforce', '--issue-key', '--key-days', '30', '--actor', 'admin']);
    expect(issued).toMatchObject({ code: 0 });
    const [key, keyId] = /alk\.([0-9a-f]{16})\.[A-Za-z0-9_-]{43}/.exec(issued.out)!;
    expect(issued.out).toContain('OrgKey');

    const service = spawn(process.execPath, [BIN, 'serve'], { env: env(dir) });
    let out = '';
    service.stdout.on('data', (c) => (out += c));
    const exited = new Promise<number | null>((resolve) => service.on('exit', resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        service.stdout.on('data', () => {
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]);
        });
        void exited.then((code) => reject(new Error(`serve exited ${code}`)));
      });
      const view = await call(`${url}/salesforce/ui/v1/accounts/a-100/advocacy`, key);
      expect(view.status).toBe(200);
      expect((view.body.account as { name: string }).name).toBe('Acme Analytics');
      const wrong = await call(`${url}/salesforce/ui/v1/accounts/a-100/advocacy`, key.slice(0, -4) + 'AAAA');
      expect({ status: wrong.status, code: wrong.body.error?.code }).toEqual({ status: 401, code: 'UNAUTHORIZED' });

      const asked = await call(`${url}/salesforce/ui/v1/accounts/a-100/csm-asks`, key, 'POST', { askType: 'review', contactId: 'c-101', askedOn: '2020-01-15' });
      expect(asked.status).toBe(201);
      // Beside the running service, the CLI runs through it.
      const log = JSON.parse(cli(dir, ['log', '--account', 'a-100', '--json']).out) as Array<{ action: string; actor: string }>;
      expect(log.find((e) => e.action === 'ask.created')?.actor).toBe(`salesforce-user:${USER}`);

      expect(cli(dir, ['setup', 'salesforce', '--revoke-key', keyId, '--actor', 'admin'])).toMatchObject({ code: 0 });
      const revoked = await call(`${url}/salesforce/ui/v1/accounts/a-100/advocacy`, key);
      expect({ status: revoked.status, code: revoked.body.error?.code }).toEqual({ status: 401, code: 'ORG_KEY_REVOKED' });
      expect(cli(dir, ['setup', 'salesforce', '--list-keys']).out).toMatch(new RegExp(`${keyId}  issued \\S+ by cli:admin  revoked `));
    } finally {
      service.kill('SIGTERM');
      await exited;
    }
  });
});
