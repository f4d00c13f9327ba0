import { randomBytes } from 'node:crypto';
import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditKeysFromEnv } from '../../../backend/src/app-context';
import { ConfigError, loadEnv } from '../../../backend/src/config/env';
import { useTempDirs } from '../../support/temp-dirs';

// Where the audit MAC key comes from: configuration on a server, a generated 0600 file in the
// data folder for the embedded default; weak keys refused at start-up with the variable named.

const problemsOf = (env: Record<string, string>) => {
  try {
    loadEnv(env);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
};

describe('audit MAC key configuration', () => {
  const tempDir = useTempDirs('advocacy-audit-key-');
  const good = randomBytes(32).toString('base64');

  it('when a PostgreSQL server is configured without an audit key, then start-up stops naming AUDIT_MAC_KEY', () => {
    expect(problemsOf({ DATABASE_URL: 'postgres://u@db/advocacy' })).toEqual([expect.objectContaining({ path: 'AUDIT_MAC_KEY', message: expect.stringMatching(/required with DATABASE_URL/) })]);
    expect(problemsOf({ DATABASE_URL: 'postgres://u@db/advocacy', AUDIT_MAC_KEY: good })).toEqual([]);
  });

  it('when the key is short, all zeros, or an old key is malformed, then each is listed', () => {
    const problems = problemsOf({ AUDIT_MAC_KEY: Buffer.alloc(32).toString('base64'), AUDIT_MAC_OLD_KEYS: 'no-colon-here' });
    expect(problems.map((p) => p.path).sort()).toEqual(['AUDIT_MAC_KEY', 'AUDIT_MAC_OLD_KEYS']);
    expect(problemsOf({ AUDIT_MAC_KEY: 'c2hvcnQ=' })).toEqual([expect.objectContaining({ path: 'AUDIT_MAC_KEY', message: expect.stringMatching(/must be 32 bytes/) })]);
    expect(problemsOf({ AUDIT_MAC_KEY: good, AUDIT_MAC_KEY_ID: 'has space' })).toEqual([expect.objectContaining({ path: 'AUDIT_MAC_KEY_ID' })]);
  });

  it('when the embedded default starts without a key, then it generates one into the data folder, readable by its owner only, and reuses it', () => {
    const dataDir = join(tempDir(), 'data');
    const first = auditKeysFromEnv(loadEnv({ DATA_DIR: dataDir })).current();
    expect(first.id).toMatch(/^file-[0-9a-f]{12}$/);
    expect(statSync(join(dataDir, 'audit-mac.key')).mode & 0o777).toBe(0o600);
    const again = auditKeysFromEnv(loadEnv({ DATA_DIR: dataDir })).current();
    expect(again).toEqual(first);
  });

  it('when the key file is readable by others or a server names a key file that does not exist, then start-up stops with the reason', () => {
    const dataDir = tempDir();
    auditKeysFromEnv(loadEnv({ DATA_DIR: dataDir }));
    chmodSync(join(dataDir, 'audit-mac.key'), 0o644);
    expect(() => auditKeysFromEnv(loadEnv({ DATA_DIR: dataDir }))).toThrow(/readable by other users: chmod 600/);
    const missing = join(tempDir(), 'nope.key');
    expect(() => auditKeysFromEnv(loadEnv({ DATABASE_URL: 'postgres://u@db/a', AUDIT_MAC_KEY_FILE: missing }))).toThrow(ConfigError);
  });

  it('when a key, its id and an old key are configured, then new entries are signed with it and the old key verifies only', () => {
    const old = randomBytes(32);
    const keys = auditKeysFromEnv(loadEnv({ AUDIT_MAC_KEY: good, AUDIT_MAC_KEY_ID: '2026-12', AUDIT_MAC_OLD_KEYS: `2026-06:${old.toString('hex')}` }));
    expect(keys.current()).toEqual({ id: '2026-12', secret: Buffer.from(good, 'base64') });
    expect(keys.byId('2026-06')?.secret).toEqual(old);
    const file = join(tempDir(), 'server.key');
    writeFileSync(file, good, { mode: 0o600 });
    expect(auditKeysFromEnv(loadEnv({ DATABASE_URL: 'postgres://u@db/a', AUDIT_MAC_KEY_FILE: file })).current().secret).toEqual(Buffer.from(good, 'base64'));
  });
});
