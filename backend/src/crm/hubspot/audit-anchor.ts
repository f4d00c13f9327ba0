import type { Client } from '@hubspot/api-client';
import { decodeCheckpoint, encodeCheckpoint, type AuditCheckpoint } from '../../store/audit-checkpoint';

// HubSpot keeps each audit checkpoint as a note of its own (associated with no record), so it
// lives in the portal, outside our database. The checkpoint travels as one base64url token
// after a marker word the search API can find; HubSpot never has to keep quotes or markup.

const MARKER = 'advocacyauditcheckpoint';

type Call = <T>(what: string, run: (client: Client) => Promise<T>, idempotent?: boolean) => Promise<T>;

export function saveCheckpointNote(call: Call, checkpoint: AuditCheckpoint): Promise<unknown> {
  const body = `Advocacy Loop audit checkpoint: the audit log of ${checkpoint.portalId} had ${checkpoint.seq} entries at ${checkpoint.at}. Keep this note; \`advocacy log --verify\` checks the log against it.\n${MARKER} ${encodeCheckpoint(checkpoint)}`;
  // Not retried blindly: a second note for the same checkpoint is harmless, but not wanted.
  return call('create audit checkpoint note', (c) => c.crm.objects.notes.basicApi.create({ properties: { hs_timestamp: checkpoint.at, hs_note_body: body }, associations: [] } as never), false);
}

export async function latestCheckpointNote(call: Call): Promise<AuditCheckpoint | null> {
  const request = {
    filterGroups: [{ filters: [{ propertyName: 'hs_note_body', operator: 'CONTAINS_TOKEN', value: MARKER }] }],
    // The SDK types sorts as strings; HubSpot takes {propertyName, direction}.
    sorts: [{ propertyName: 'hs_timestamp', direction: 'DESCENDING' }] as unknown as string[],
    properties: ['hs_note_body', 'hs_timestamp'],
    limit: 10,
  };
  const res = await call('search audit checkpoint notes', (c) => c.crm.objects.notes.searchApi.doSearch(request as never));
  let best: AuditCheckpoint | null = null;
  for (const note of res.results) {
    const body = String((note.properties as Record<string, string | null>).hs_note_body ?? '');
    const token = body.slice(body.lastIndexOf(MARKER) + MARKER.length).trim().split(/\s/)[0] ?? '';
    const checkpoint = body.includes(MARKER) ? decodeCheckpoint(token.replace(/<[^>]*>.*$/, '')) : null;
    if (checkpoint && (!best || checkpoint.seq > best.seq)) best = checkpoint;
  }
  return best;
}
