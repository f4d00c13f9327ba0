import { randomBytes } from 'node:crypto';
import nock from 'nock';
import { CrmError } from '../../../backend/src/crm/errors';
import { signCheckpoint } from '../../../backend/src/store/audit-checkpoint';
import type { Db } from '../../../backend/src/store/db';
import { API, AT, buildCrm, errorBody, rateLimitBody, useNockedStore } from './hubspot-fixtures';

// The audit checkpoint kept in HubSpot: a note of its own, found again through the search API.

const key = { id: 'k-test', secret: randomBytes(32) };
const checkpoint = (seq: number) => signCheckpoint(key, { portalId: 'hubspot:123', seq, hash: 'ab'.repeat(32), at: AT });
const note = (id: string, body: string) => ({ id, properties: { hs_note_body: body, hs_timestamp: AT }, createdAt: AT, updatedAt: AT, archived: false });

describe('HubSpot audit checkpoints (nock against api.hubapi.com)', () => {
  let db: Db;
  useNockedStore((opened) => (db = opened));

  it('when a checkpoint is saved, then one note carries it as a token after the marker word, with a timestamp and no association', async () => {
    let sent: { properties: Record<string, string>; associations: unknown[] } | null = null;
    const scope = nock(API)
      .post('/crm/v3/objects/notes', (b) => Boolean((sent = b)))
      .reply(201, note('7001', 'x'));
    await buildCrm(db).saveAuditCheckpoint(checkpoint(42));
    expect(scope.isDone()).toBe(true);
    expect(sent!.associations).toEqual([]);
    expect(sent!.properties.hs_timestamp).toBe(AT);
    expect(sent!.properties.hs_note_body).toMatch(/^Advocacy Loop audit checkpoint: the audit log of hubspot:123 had 42 entries/);
    expect(sent!.properties.hs_note_body).toMatch(/\nadvocacyauditcheckpoint [A-Za-z0-9_-]+$/);
  });

  it('when the newest checkpoint is read, then the search finds the notes by marker and the highest seq wins, whatever HubSpot wrapped around the token', async () => {
    let search: { filterGroups: Array<{ filters: Array<{ propertyName: string; operator: string; value: string }> }> } | null = null;
    const crm = buildCrm(db);
    const body = (seq: number) => {
      let captured = '';
      nock(API).post('/crm/v3/objects/notes', (b) => Boolean((captured = b.properties.hs_note_body))).reply(201, note('1', 'x'));
      return crm.saveAuditCheckpoint(checkpoint(seq)).then(() => captured);
    };
    const [b10, b12] = [await body(10), await body(12)];
    nock(API)
      .post('/crm/v3/objects/notes/search', (b) => Boolean((search = b)))
      .reply(200, { total: 3, results: [note('2', `<p>${b10.replace('\n', '<br>')}</p>`), note('3', b12), note('4', 'advocacyauditcheckpoint not-a-checkpoint')] });
    expect(await crm.latestAuditCheckpoint()).toEqual(checkpoint(12));
    expect(search!.filterGroups[0].filters[0]).toEqual({ propertyName: 'hs_note_body', operator: 'CONTAINS_TOKEN', value: 'advocacyauditcheckpoint' });
  });

  it('when no note holds a checkpoint, then there is none', async () => {
    nock(API).post('/crm/v3/objects/notes/search').reply(200, { total: 0, results: [] });
    expect(await buildCrm(db).latestAuditCheckpoint()).toBeNull();
  });

  it('when HubSpot answers 429 then 200 to the search, then the read waits and succeeds; a 500 to the note is not retried blindly and names the failure', async () => {
    const waits: number[] = [];
    nock(API).post('/crm/v3/objects/notes/search').reply(429, rateLimitBody('TEN_SECONDLY_ROLLING'), { 'Retry-After': '1' });
    nock(API).post('/crm/v3/objects/notes/search').reply(200, { total: 0, results: [] });
    expect(await buildCrm(db, {}, waits).latestAuditCheckpoint()).toBeNull();
    expect(waits.length).toBeGreaterThan(0);
    const scope = nock(API).post('/crm/v3/objects/notes').reply(500, errorBody(500, 'INTERNAL_ERROR', 'boom'));
    await expect(buildCrm(db).saveAuditCheckpoint(checkpoint(1))).rejects.toBeInstanceOf(CrmError);
    expect(scope.isDone()).toBe(true);
  });
});
