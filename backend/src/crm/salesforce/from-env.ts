import { readFileSync } from 'node:fs';
import { ConfigError, type Env } from '../../config/env';
import { salesforceAuthSchema, type SalesforceAuth } from './connect';
import { defaultFieldMap, salesforceFieldMapSchema, type SalesforceFieldMap } from './field-map';

// Salesforce settings from the environment, checked once with every problem listed.

export function salesforceAuthFromEnv(env: Env): SalesforceAuth {
  const flow = env.SALESFORCE_AUTH_FLOW;
  if (!flow) throw new ConfigError('environment', [{ path: 'SALESFORCE_AUTH_FLOW', message: 'set it to jwt, refresh_token or access_token' }]);
  const raw =
    flow === 'jwt'
      ? { flow, loginUrl: env.SALESFORCE_LOGIN_URL, clientId: env.SALESFORCE_CLIENT_ID, username: env.SALESFORCE_USERNAME, privateKeyPem: env.SALESFORCE_PRIVATE_KEY_FILE ? readFileSync(env.SALESFORCE_PRIVATE_KEY_FILE, 'utf8') : undefined }
      : flow === 'refresh_token'
        ? { flow, loginUrl: env.SALESFORCE_LOGIN_URL, clientId: env.SALESFORCE_CLIENT_ID, clientSecret: env.SALESFORCE_CLIENT_SECRET, refreshToken: env.SALESFORCE_REFRESH_TOKEN, instanceUrl: env.SALESFORCE_INSTANCE_URL }
        : { flow, instanceUrl: env.SALESFORCE_INSTANCE_URL, accessToken: env.SALESFORCE_ACCESS_TOKEN };
  const parsed = salesforceAuthSchema.safeParse(raw);
  if (!parsed.success) {
    // Paths only: the values may be secrets.
    throw new ConfigError('Salesforce settings', parsed.error.issues.map((i) => ({ path: `SALESFORCE (${flow}) ${i.path.join('.')}`, message: i.message })));
  }
  return parsed.data;
}

export function salesforceFieldMapFromEnv(env: Env): SalesforceFieldMap {
  if (!env.SALESFORCE_FIELD_MAP_FILE) return defaultFieldMap();
  const parsed = salesforceFieldMapSchema.safeParse(JSON.parse(readFileSync(env.SALESFORCE_FIELD_MAP_FILE, 'utf8')));
  if (!parsed.success) throw new ConfigError(`field map ${env.SALESFORCE_FIELD_MAP_FILE}`, parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  return parsed.data;
}
