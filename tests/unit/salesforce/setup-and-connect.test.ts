import { createVerify, generateKeyPairSync } from 'node:crypto';
import nock from 'nock';
import { connectSalesforce } from '../../../backend/src/crm/salesforce/connect';
import { setupSalesforce } from '../../../backend/src/crm/salesforce/setup-salesforce';

const INSTANCE = 'https://acme.my.salesforce.com';
const LOGIN = 'https://login.salesforce.com';

function soapReply(fullNames: string[], created: boolean, failing: string[] = []) {
  const results = fullNames
    .map((n) =>
      failing.includes(n)
        ? `<result><errors><message>Field ${n} has a problem</message><statusCode>FIELD_INTEGRITY_EXCEPTION</statusCode></errors><fullName>${n}</fullName><success>false</success><created>false</created></result>`
        : `<result><created>${created}</created><fullName>${n}</fullName><success>true</success></result>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="http://soap.sforce.com/2006/04/metadata"><soapenv:Body><upsertMetadataResponse>${results}</upsertMetadataResponse></soapenv:Body></soapenv:Envelope>`;
}

const fullNamesIn = (body: string) => [...body.matchAll(/<fullName>([^<]+)<\/fullName>/g)].map((m) => m[1]).filter((n) => n.includes('__c') || n === 'Advocacy_Ask__c');

describe('Salesforce setup and sign-in', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  function serveMetadata(created: boolean, failing: string[] = []) {
    const bodies: string[] = [];
    nock(INSTANCE)
      .post('/services/Soap/m/62.0')
      .times(10)
      .reply(200, (_uri, body) => {
        bodies.push(String(body));
        const names = fullNamesIn(String(body));
        // one fullName per component: the component's own (first in each <metadata>)
        const own = [...String(body).matchAll(/<metadata[^>]*>\s*<fullName>([^<]+)<\/fullName>/g)].map((m) => m[1]);
        return soapReply(own.length ? own : names, created, failing);
      }, { 'content-type': 'text/xml' });
    return bodies;
  }

  it('when setup runs on a fresh org, then the object goes first, fields follow 10 per call, and all are reported created', async () => {
    const bodies = serveMetadata(true);
    const { Connection } = await import('jsforce');
    const report = await setupSalesforce(new Connection({ instanceUrl: INSTANCE, accessToken: 't', version: '62.0' }));
    expect(bodies).toHaveLength(4);
    expect(bodies[0]).toContain('<enableActivities>true</enableActivities>');
    expect(bodies[0]).toContain('Advocacy_Ask__c');
    expect(bodies[1]).toContain('CustomField');
    expect(report.created).toContain('Advocacy_Ask__c');
    expect(report.created).toEqual(expect.arrayContaining(['Advocacy_Ask__c.Account__c', 'Advocacy_Ask__c.Ask_Type__c', 'Account.Advocacy_Readiness_Score__c', 'Activity.Advocacy_Key__c']));
    expect(report.created).toHaveLength(22);
    expect(report.alreadyThere).toEqual([]);
  });

  it('when setup runs again, then everything is reported as already there and a refused field is named', async () => {
    serveMetadata(false, ['Account.Advocacy_Status__c']);
    const { Connection } = await import('jsforce');
    const report = await setupSalesforce(new Connection({ instanceUrl: INSTANCE, accessToken: 't', version: '62.0' }));
    expect(report.created).toEqual([]);
    expect(report.alreadyThere).toHaveLength(21);
    expect(report.failed).toEqual([{ fullName: 'Account.Advocacy_Status__c', problem: 'Field Account.Advocacy_Status__c has a problem' }]);
  });

  it('when the JWT bearer flow signs in, then the assertion names the app, user and audience and the connection uses the returned instance', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    let assertion = '';
    nock(LOGIN)
      .post('/services/oauth2/token', (b) => {
        assertion = b.assertion;
        return b.grant_type === 'urn:ietf:params:oauth:grant-type:jwt-bearer';
      })
      .reply(200, { access_token: 'jwt-token', instance_url: INSTANCE, token_type: 'Bearer' });
    const conn = await connectSalesforce({ flow: 'jwt', loginUrl: LOGIN, clientId: 'connected-app-id', username: 'integration@acme.com', privateKeyPem: pem }, () => Date.parse('2026-11-24T09:00:00Z'));
    const [header, payload, signature] = assertion.split('.');
    expect(createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toMatchObject({ iss: 'connected-app-id', sub: 'integration@acme.com', aud: LOGIN, exp: Math.floor(Date.parse('2026-11-24T09:00:00Z') / 1000) + 180 });
    expect(conn.instanceUrl).toBe(INSTANCE);
    expect(conn.accessToken).toBe('jwt-token');
  });

  it('when the JWT login is refused, then the error says why without echoing secrets', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    nock(LOGIN).post('/services/oauth2/token').reply(400, { error: 'invalid_grant', error_description: 'user hasn\'t approved this consumer' });
    const error = await connectSalesforce({ flow: 'jwt', loginUrl: LOGIN, clientId: 'app', username: 'u@acme.com', privateKeyPem: pem }).catch((e) => e);
    expect(error.code).toBe('CRM_AUTH');
    expect(error.message).toMatch(/invalid_grant/);
    expect(error.message).not.toMatch(/PRIVATE KEY|eyJ/);
  });
});
