import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envSchema, loadEnv } from '../../../backend/src/config/env';
import { hubspotAuthModeFromEnv } from '../../../backend/src/crm/hubspot/from-env';

// The deployment examples in deploy/ that the README points to: they start the commands that
// exist, stop with SIGTERM and wait longer than the 30 s a worker gives its jobs, restart what
// exits, and their settings file names only settings the service reads and is complete once
// its secrets are filled in.

const ROOT = join(__dirname, '../../..');
const DEPLOY = join(ROOT, 'deploy');

/** The [Service] keys of a systemd unit. */
function unit(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  let section = '';
  for (const line of readFileSync(join(DEPLOY, 'systemd', file), 'utf8').split('\n')) {
    const header = /^\[(.+)\]$/.exec(line.trim());
    if (header) section = header[1];
    const kv = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (kv && section === 'Service') out[kv[1]] = kv[2];
  }
  return out;
}

describe('deployment examples', () => {
  it('when pm2 starts the process file, then it runs one API and four workers of bin/advocacy.js, stopped with more than 30 s to finish', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { apps } = require(join(DEPLOY, 'ecosystem.config.js')) as { apps: Array<Record<string, unknown>> };
    expect(apps.map((a) => [a.name, a.args, a.instances])).toEqual([
      ['advocacy-api', 'serve', 1],
      ['advocacy-worker', 'worker', 4],
    ]);
    for (const a of apps) {
      expect(a.script).toBe(join(ROOT, 'bin/advocacy.js'));
      expect(existsSync(a.script as string)).toBe(true);
      expect(a).toMatchObject({ autorestart: true, exec_mode: 'fork' });
      expect(a.kill_timeout as number).toBeGreaterThan(30_000);
    }
  });

  it('when systemd runs the units, then serve and each worker instance restart, stop with SIGTERM and get more than 30 s', () => {
    const api = unit('advocacy-api.service');
    const worker = unit('advocacy-worker@.service');
    expect(api.ExecStart).toMatch(/\/bin\/advocacy\.js serve$/);
    expect(worker.ExecStart).toMatch(/\/bin\/advocacy\.js worker$/);
    for (const u of [api, worker]) {
      expect(u).toMatchObject({ Restart: 'always', KillSignal: 'SIGTERM', EnvironmentFile: '/etc/advocacy-loop/advocacy.env' });
      expect(Number(u.TimeoutStopSec)).toBeGreaterThan(30);
    }
  });

  it('when the settings file is filled in, then every process parses it (server audit key, API token beyond loopback, HubSpot OAuth), and it names no unknown setting', () => {
    const lines = readFileSync(join(DEPLOY, 'advocacy.env.example'), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    const entries = lines.map((l) => /^([A-Z0-9_]+)=(.*)$/.exec(l)!).map((m) => [m[1], m[2]] as const);
    const known = Object.keys(envSchema.shape);
    expect(entries.map(([k]) => k).filter((k) => !known.includes(k))).toEqual([]);
    const secret = () => randomBytes(32).toString('base64');
    const filled = Object.fromEntries(entries.map(([k, v]) => [k, v || (k === 'HUBSPOT_CLIENT_ID' ? 'client-id' : secret())]));
    expect(Object.keys(filled)).toEqual(expect.arrayContaining(['DATABASE_URL', 'AUDIT_MAC_KEY', 'API_TOKEN']));
    const env = loadEnv(filled);
    expect(hubspotAuthModeFromEnv(env)).toBe('oauth');
    // Left empty, the secrets stop start-up with every problem named.
    expect(() => loadEnv(Object.fromEntries(entries))).toThrow(/AUDIT_MAC_KEY/);
  });
});
