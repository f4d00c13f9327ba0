import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadEnv } from '../../../backend/src/config/env';
import { hubspotAuthModeFromEnv, hubspotCrmFactoryFromEnv, hubspotFieldMapFromEnv } from '../../../backend/src/crm/hubspot/from-env';
import type { Db } from '../../../backend/src/store/db';
import { openTestDb } from './hubspot-fixtures';
import { useTempDirs } from '../../support/temp-dirs';

describe('HubSpot settings from the environment', () => {
  const tempDir = useTempDirs('hs-map-');
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(() => db.close());

  it('when a private-app token is set, then its own portal gets one adapter and any other portal is refused', () => {
    const env = loadEnv({ CRM: 'hubspot', PORTAL_ID: 'hubspot:111', HUBSPOT_ACCESS_TOKEN: 'pat-na1-x', HUBSPOT_RATE_LIMIT_PER_10S: '100' });
    expect(hubspotAuthModeFromEnv(env)).toBe('private_app');
    const crmFor = hubspotCrmFactoryFromEnv(env, db);
    const a = crmFor('hubspot:111');
    expect(a.kind).toBe('hubspot');
    expect(crmFor('hubspot:111')).toBe(a);
    expect(() => crmFor('hubspot:222')).toThrow(/portal hubspot:222 needs the OAuth app/);
    expect(() => hubspotAuthModeFromEnv(loadEnv({ CRM: 'hubspot', HUBSPOT_ACCESS_TOKEN: 'pat-na1-x' }))).toThrow(/PORTAL_ID/);
    expect(() => hubspotAuthModeFromEnv(loadEnv({ CRM: 'hubspot', PORTAL_ID: '111', HUBSPOT_ACCESS_TOKEN: 'pat-na1-x' }))).toThrow(/hubspot:<account id>/);
  });

  it('when OAuth is configured, then each portal gets an adapter on its own stored tokens', async () => {
    const env = loadEnv({ CRM: 'hubspot', PORTAL_ID: 'hubspot:333', HUBSPOT_AUTH: 'oauth', HUBSPOT_CLIENT_ID: 'cid', HUBSPOT_CLIENT_SECRET: 'cs', TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64') });
    const crmFor = hubspotCrmFactoryFromEnv(env, db);
    expect(crmFor('hubspot:333').portalId).toBe('hubspot:333');
    expect(crmFor('hubspot:444')).not.toBe(crmFor('hubspot:333'));
    // Portal 444 never installed: its adapter has no token to borrow from 333.
    await expect(crmFor('hubspot:444').getAccount('1')).rejects.toThrow(/portal hubspot:444 has not installed the app/);
  });

  it('when OAuth is chosen without its settings, then every missing setting is listed', () => {
    // loadEnv itself refuses a malformed key; the HubSpot check lists it again with its siblings.
    const env = { ...loadEnv({ CRM: 'hubspot', HUBSPOT_AUTH: 'oauth' }), TOKEN_ENCRYPTION_KEY: 'short' };
    let error: unknown;
    try {
      hubspotAuthModeFromEnv(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.path)).toEqual(['HUBSPOT_CLIENT_ID', 'HUBSPOT_CLIENT_SECRET', 'TOKEN_ENCRYPTION_KEY']);
    expect((error as ConfigError).problems[2].message).toMatch(/32 bytes/);
  });

  it('when a field map file names a property wrongly, then start-up stops naming the field', () => {
    const dir = tempDir();
    const file = join(dir, 'map.json');
    writeFileSync(file, JSON.stringify({ company: { healthScore: 'Health Score' } }));
    expect(() => hubspotFieldMapFromEnv(loadEnv({ HUBSPOT_FIELD_MAP_FILE: file }))).toThrow(/company\.healthScore/);
    writeFileSync(file, JSON.stringify({ company: { healthScore: 'cs_health', owner: 'csm_owner' }, task: { owner: 'csm_owner' } }));
    const map = hubspotFieldMapFromEnv(loadEnv({ HUBSPOT_FIELD_MAP_FILE: file }));
    expect([map.company.healthScore, map.company.owner, map.task.owner, map.contact.npsScore]).toEqual(['cs_health', 'csm_owner', 'csm_owner', 'nps_score']);
  });
});
