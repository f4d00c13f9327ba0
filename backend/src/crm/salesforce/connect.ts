import { Connection } from 'jsforce';
import { createPrivateKey, createSign } from 'node:crypto';
import { z } from 'zod';
import { CrmError } from '../errors';

// Three ways in: the OAuth 2.0 JWT bearer flow (server-to-server, a connected app with a
// certificate; no stored user password), a refresh token (jsforce refreshes on 401), or a
// ready access token (tests, short jobs).

export const SF_VERSION = '62.0';

export const salesforceAuthSchema = z.discriminatedUnion('flow', [
  z.object({ flow: z.literal('jwt'), loginUrl: z.string().url(), clientId: z.string().min(1), username: z.string().min(1), privateKeyPem: z.string().includes('PRIVATE KEY') }),
  z.object({ flow: z.literal('refresh_token'), loginUrl: z.string().url(), clientId: z.string().min(1), clientSecret: z.string().optional(), refreshToken: z.string().min(1), instanceUrl: z.string().url() }),
  z.object({ flow: z.literal('access_token'), instanceUrl: z.string().url(), accessToken: z.string().min(1) }),
]);

export type SalesforceAuth = z.infer<typeof salesforceAuthSchema>;

async function jwtToken(auth: Extract<SalesforceAuth, { flow: 'jwt' }>, now: () => number) {
  // RS256 with node:crypto (jose 6 is ESM-only, which this CommonJS build cannot require).
  const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const unsigned = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ iss: auth.clientId, sub: auth.username, aud: auth.loginUrl.replace(/\/$/, ''), exp: Math.floor(now() / 1000) + 180 })}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(createPrivateKey(auth.privateKeyPem)).toString('base64url');
  const assertion = `${unsigned}.${signature}`;
  const res = await fetch(`${auth.loginUrl.replace(/\/$/, '')}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await res.json().catch(() => ({}))) as { access_token?: string; instance_url?: string; error?: string; error_description?: string };
  if (!res.ok || !body.access_token || !body.instance_url) {
    // Never echo the assertion or the key: the error names the flow and Salesforce's reason.
    throw new CrmError('CRM_AUTH', `JWT bearer login refused: ${body.error ?? res.status}${body.error_description ? ` (${body.error_description})` : ''}`);
  }
  return { accessToken: body.access_token, instanceUrl: body.instance_url };
}

export async function connectSalesforce(auth: SalesforceAuth, now: () => number = Date.now): Promise<Connection> {
  switch (auth.flow) {
    case 'access_token':
      return new Connection({ instanceUrl: auth.instanceUrl, accessToken: auth.accessToken, version: SF_VERSION });
    case 'refresh_token':
      return new Connection({
        oauth2: { loginUrl: auth.loginUrl, clientId: auth.clientId, clientSecret: auth.clientSecret, redirectUri: 'http://localhost/callback' },
        instanceUrl: auth.instanceUrl,
        refreshToken: auth.refreshToken,
        version: SF_VERSION,
      });
    case 'jwt': {
      const first = await jwtToken(auth, now);
      // On a 401 the JWT flow simply runs again: there is no refresh token in this flow.
      return new Connection({
        instanceUrl: first.instanceUrl,
        accessToken: first.accessToken,
        version: SF_VERSION,
        refreshFn: (_conn, callback) => {
          jwtToken(auth, now).then(
            (t) => callback(null, t.accessToken),
            (e: Error) => callback(e),
          );
        },
      });
    }
  }
}
