import { createCipheriv, randomBytes } from 'node:crypto';
import { ConfigError, loadEnv } from '../../../backend/src/config/env';
import { decryptToken, encryptToken, tokenKeyId } from '../../../backend/src/crm/hubspot/token-cipher';
import { parseKeyring } from '../../../backend/src/config/secret-rules';

const GOOD_TOKEN = 'x7Jq2mVb9Rk4Tz8Lw3Nc6Hp1Yd5Fs0Ga';

function problemsOf(env: Record<string, string>): Array<{ path: string; message: string }> {
  try {
    loadEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  return [];
}

/** A token sealed the way v1 did it (no key id), as rows written before rotation existed hold. */
function sealV1(key: Buffer, plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

describe('secrets at start-up', () => {
  it('when TOKEN_ENCRYPTION_KEY is 32 zero bytes and API_TOKEN is one character, then start-up refuses and lists both', () => {
    const problems = problemsOf({ TOKEN_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64'), API_TOKEN: 'x' });
    expect(problems.map((p) => p.path).sort()).toEqual(['API_TOKEN', 'TOKEN_ENCRYPTION_KEY']);
    expect(problems.find((p) => p.path === 'TOKEN_ENCRYPTION_KEY')!.message).toMatch(/weak: it is one byte repeated \(0x00\)/);
    expect(problems.find((p) => p.path === 'API_TOKEN')!.message).toMatch(/at least 32 characters \(got 1\)/);
  });

  it.each([
    ['64 hex zeros', '0'.repeat(64), /one byte repeated/],
    ['bytes 0..31 counting up', Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('hex'), /counting sequence/],
    ['a few bytes repeated', Buffer.from('abcdabcdabcdabcdabcdabcdabcdabcd').toString('base64'), /only 4 distinct byte values/],
    ['31 bytes of hex', randomBytes(31).toString('hex'), /must be 32 bytes/],
    ['base64 with a stray character', `${randomBytes(32).toString('base64').slice(0, 42)}!=`, /must be 32 bytes/],
    ['a passphrase', 'correct horse battery staple', /must be 32 bytes/],
  ])('when TOKEN_ENCRYPTION_KEY is %s, then start-up refuses it, saying why', (_name, key, message) => {
    const problems = problemsOf({ TOKEN_ENCRYPTION_KEY: key });
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe('TOKEN_ENCRYPTION_KEY');
    expect(problems[0].message).toMatch(message);
  });

  it('when a retired key in TOKEN_ENCRYPTION_OLD_KEYS is weak, then that entry is named', () => {
    const problems = problemsOf({ TOKEN_ENCRYPTION_KEY: `k2:${randomBytes(32).toString('base64')}`, TOKEN_ENCRYPTION_OLD_KEYS: `k1:${randomBytes(32).toString('hex')},k0:${'f'.repeat(64)}` });
    expect(problems).toEqual([{ path: 'TOKEN_ENCRYPTION_OLD_KEYS.1', message: expect.stringMatching(/one byte repeated \(0xff\)/) }]);
  });

  it('when SALESFORCE_FLOW_SECRET is "secret", then start-up refuses it; a random 32-character token and key are accepted', () => {
    expect(problemsOf({ SALESFORCE_FLOW_SECRET: 'secret' }).map((p) => p.path)).toEqual(['SALESFORCE_FLOW_SECRET']);
    expect(problemsOf({ API_TOKEN: 'a'.repeat(40) })[0].message).toMatch(/too few characters/);
    expect(problemsOf({ API_TOKEN: GOOD_TOKEN, SALESFORCE_FLOW_SECRET: GOOD_TOKEN, TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64') })).toEqual([]);
  });
});

describe('token keys', () => {
  const contextA = 'hubspot:1:access';

  it('when a token sealed under key "k1" is read with only key "k2" configured, then the error names the missing key id, not "Unsupported state"', () => {
    const sealed = encryptToken(parseKeyring(`k1:${randomBytes(32).toString('base64')}`), 'the-token', contextA);
    expect(tokenKeyId(sealed)).toBe('k1');
    const other = parseKeyring(`k2:${randomBytes(32).toString('base64')}`);
    expect(() => decryptToken(other, sealed, contextA)).toThrow(/sealed with key id "k1", which is not configured .*"k2"/);
  });

  it('when the key configured as "k1" is a different key than the one that sealed the token, then the error says the key is wrong', () => {
    const sealed = encryptToken(parseKeyring(`k1:${randomBytes(32).toString('base64')}`), 'the-token', contextA);
    const wrong = parseKeyring(`k1:${randomBytes(32).toString('base64')}`);
    let message = '';
    try {
      decryptToken(wrong, sealed, contextA);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/does not open with key "k1": the configured key is wrong/);
    expect(message).not.toMatch(/Unsupported state/);
  });

  it('when the key is rotated (new current key, old one retired), then tokens sealed with the old key and v1 tokens without an id still read, and new ones use the new key', () => {
    const oldKey = randomBytes(32);
    const old = `k1:${oldKey.toString('base64')}`;
    const before = encryptToken(parseKeyring(old), 'sealed-before', contextA);
    const legacy = sealV1(oldKey, 'sealed-by-v1', contextA);

    const rotated = parseKeyring(`k2:${randomBytes(32).toString('hex')}`, old);
    expect(decryptToken(rotated, before, contextA)).toBe('sealed-before');
    expect(decryptToken(rotated, legacy, contextA)).toBe('sealed-by-v1');
    const after = encryptToken(rotated, 'sealed-after', contextA);
    expect(tokenKeyId(after)).toBe('k2');
    expect(decryptToken(rotated, after, contextA)).toBe('sealed-after');
    // Without the old key the v1 token is named as unreadable with the keys configured.
    expect(() => decryptToken(parseKeyring(`k2:${randomBytes(32).toString('hex')}`), legacy, contextA)).toThrow(/opens with none of the configured keys/);
  });

  it('when a key has no id, then its id is a fingerprint that does not contain the key', () => {
    const key = randomBytes(32);
    const [entry] = parseKeyring(key.toString('base64'));
    expect(entry.id).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(key.toString('base64')).not.toContain(entry.id);
    expect(tokenKeyId(encryptToken(parseKeyring(key.toString('hex')), 't', contextA))).toBe(entry.id);
  });
});
