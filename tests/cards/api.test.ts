import { callBackend } from '../../cards/lib/api';
import { backendConfigFrom } from '../../cards/lib/config';
import { BASE_URL, installFetch } from './fetch-mock';

const config = { baseUrl: BASE_URL };

describe('the cards\' backend config', () => {
  it('when the profile URL has a path and a trailing slash, then calls go under that path without a double slash', () => {
    expect(backendConfigFrom({ ADVOCACY_BACKEND_URL: ' https://api.example.com/advocacy/ ' })).toEqual({ ok: true, config: { baseUrl: 'https://api.example.com/advocacy' } });
  });

  it('when the profile URL is not a URL, carries a query, or is missing, then the problem is named', () => {
    expect(backendConfigFrom({ ADVOCACY_BACKEND_URL: 'advocacy.example.com' })).toEqual({ ok: false, problem: 'ADVOCACY_BACKEND_URL is not a URL: "advocacy.example.com".' });
    expect(backendConfigFrom({ ADVOCACY_BACKEND_URL: 'https://a.example.com/?x=1' })).toMatchObject({ ok: false, problem: expect.stringContaining('must not carry a query') });
    expect(backendConfigFrom(undefined)).toMatchObject({ ok: false, problem: expect.stringContaining('has no ADVOCACY_BACKEND_URL') });
    expect(backendConfigFrom({ ADVOCACY_BACKEND_URL: 42 })).toMatchObject({ ok: false });
  });
});

describe('calling the backend from a card', () => {
  it('when the backend answers 2xx JSON, then the body comes back and the call carries method, body and timeout', async () => {
    const fetch = installFetch();
    fetch.ok('POST', '/hubspot/v1/x', { done: true }, 201);
    await expect(callBackend(config, '/x', { method: 'POST', body: { a: 1 }, timeoutMs: 5000 })).resolves.toEqual({ done: true });
    expect(fetch.calls).toEqual([{ url: `${BASE_URL}/hubspot/v1/x`, method: 'POST', body: { a: 1 }, timeout: 5000 }]);
  });

  it('when the backend refuses with a 4xx error body, then its message and code are kept', async () => {
    const fetch = installFetch();
    fetch.error('GET', '/hubspot/v1/x', 'VALIDATION_FAILED', 'dueOn must be a date as YYYY-MM-DD');
    await expect(callBackend(config, '/x')).rejects.toMatchObject({ message: 'dueOn must be a date as YYYY-MM-DD', status: 400, code: 'VALIDATION_FAILED' });
  });

  it('when the signature is refused or the service is rate limited, then the card says what to do, not the raw code', async () => {
    const fetch = installFetch();
    fetch.on('GET', '/hubspot/v1/x', { status: 401, body: { error: { code: 'STALE_SIGNATURE' } } }, { status: 429, body: null });
    await expect(callBackend(config, '/x')).rejects.toThrow('HubSpot could not prove this request to the Advocacy Loop service. Reload the page and try again.');
    await expect(callBackend(config, '/x')).rejects.toThrow('The Advocacy Loop service is busy. Try again in a minute.');
  });

  it('when the backend fails with 500, then internals in its message are not shown', async () => {
    const fetch = installFetch();
    fetch.error('GET', '/hubspot/v1/x', 'INTERNAL', 'relation "asks" does not exist');
    const error = await callBackend(config, '/x').catch((e: unknown) => e);
    expect(error).toMatchObject({ message: 'The Advocacy Loop service had a problem. Try again in a minute.', status: 500, code: 'INTERNAL' });
  });

  it('when the answer is not JSON, then the card reports an unreadable answer', async () => {
    installFetch();
    (globalThis as unknown as { self: { hsFetch: () => Promise<Response> } }).self = { hsFetch: async () => new Response('<html>gateway</html>', { status: 200 }) };
    await expect(callBackend(config, '/x')).rejects.toThrow('The Advocacy Loop service sent an answer the card cannot read.');
  });

  it('when the network fails, then the card says it could not reach the service', async () => {
    const fetch = installFetch();
    fetch.on('GET', '/hubspot/v1/x', { fail: new TypeError('fetch failed') });
    await expect(callBackend(config, '/x')).rejects.toMatchObject({ message: 'Could not reach the Advocacy Loop service.', status: null, code: 'NETWORK' });
  });
});
