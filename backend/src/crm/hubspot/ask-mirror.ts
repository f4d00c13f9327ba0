import type { Ask, Consent } from '../../domain/types';
import type { Db } from '../../store/db';
import { createdObjectIds, readPortalSetup } from '../../store/hubspot-tokens-repo';
import { CrmError } from '../errors';
import { askNoteBody, askNoteMarker, askProperties, consentNoteBody } from './ask-record';
import { writeInBatches, type BatchOutcome } from './batch-writes';
import { callHubSpot, type CallContext } from './call-hubspot';
import { createOnce } from './create-once';
import { findByKey, htmlMarker, taskKeyMarker, type KeyedRecord } from './find-by-key';

// Asks mirrored into HubSpot: the advocacy-ask custom object on portals that have custom
// objects (Enterprise), a note on the company, contact and deal on the others. The app's own
// store stays the system of record; this is what CSMs see where they work.

export const NOTE_ASSOCIATION = { company: 190, contact: 202, deal: 214 } as const;

export type AskStorage = 'custom_object' | 'notes';

export interface AskObjectType {
  objectTypeId: string;
  /** Association type ids from the ask object to each record type (USER_DEFINED in the schema). */
  associationTypeIds: { company: number | null; contact: number | null; deal: number | null };
}

export type AskItem = { ask: Ask; outcomeNote?: string | null; consent?: Consent | null };

export class AskMirror {
  private setup: Promise<AskStorage> | null;
  private askObject: Promise<AskObjectType> | null;
  private readonly askObjectName: string;

  constructor(
    private readonly ctx: CallContext,
    private readonly db: Db,
    private readonly portalId: string,
    options: { mode?: AskStorage; askObject?: AskObjectType | null; askObjectName?: string },
  ) {
    this.setup = options.mode ? Promise.resolve(options.mode) : null;
    this.askObject = options.askObject ? Promise.resolve(options.askObject) : null;
    this.askObjectName = options.askObjectName ?? 'advocacy_ask';
  }

  async save(items: AskItem[]): Promise<Map<string, BatchOutcome>> {
    return (await this.storage()) === 'notes' ? this.saveAsksAsNotes(items) : this.saveAsksAsObjects(items);
  }

  /** The mode setup chose for this portal (read once); its ask object ids come with it. */
  storage(): Promise<AskStorage> {
    if (!this.setup) {
      this.setup = readPortalSetup(this.db, this.portalId).then((row) => {
        if (!row) return 'custom_object';
        const recorded = row.askObject as AskObjectType | null;
        if (row.askStorage === 'custom_object' && recorded?.objectTypeId && !this.askObject) this.askObject = Promise.resolve(recorded);
        return row.askStorage;
      });
      this.setup.catch(() => (this.setup = null));
    }
    return this.setup;
  }

  /** The ask object's type id and association ids, from the schema list (one call, cached). */
  private resolveAskObject(): Promise<AskObjectType> {
    if (!this.askObject) {
      const wanted = this.askObjectName;
      this.askObject = callHubSpot(this.ctx, 'list object schemas', { idempotent: true }, (c) => c.crm.schemas.coreApi.getAll(false)).then((all) => {
        const schema = all.results.find((s) => s.name === wanted || s.objectTypeId === wanted || s.fullyQualifiedName === wanted);
        if (!schema) throw new CrmError('CRM_REJECTED', `the portal has no "${wanted}" object: run \`advocacy setup hubspot\`, or set HUBSPOT_ASK_STORAGE=notes`);
        const objectTypeId = schema.objectTypeId ?? schema.id;
        const to = (typeId: string) => {
          const a = schema.associations.find((x) => x.fromObjectTypeId === objectTypeId && x.toObjectTypeId === typeId);
          return a ? Number(a.id) : null;
        };
        return { objectTypeId, associationTypeIds: { company: to('0-2'), contact: to('0-1'), deal: to('0-3') } };
      });
      this.askObject.catch(() => (this.askObject = null));
    }
    return this.askObject;
  }

  /**
   * New asks are created with their associations in the same call; asks HubSpot already has
   * (crmAskId known) are updated by id. ask_id is unique in the schema, so an ask created by a
   * run that died before recording its id is refused on create and then upserted by ask_id.
   */
  private async saveAsksAsObjects(items: AskItem[]): Promise<Map<string, BatchOutcome>> {
    const type = await this.resolveAskObject();
    const out = new Map<string, BatchOutcome>();
    const known = items.filter((i) => (i.ask as { crmAskId?: string | null }).crmAskId);
    const fresh = items.filter((i) => !(i.ask as { crmAskId?: string | null }).crmAskId);
    const link = (id: string | null, typeId: number | null) => (id && typeId ? [{ to: { id }, types: [{ associationCategory: 'USER_DEFINED', associationTypeId: typeId }] }] : []);
    const [created, updated] = await Promise.all([
      writeInBatches(
        this.ctx,
        'create advocacy asks',
        fresh.map(({ ask, outcomeNote, consent }) => ({
          traceId: ask.askId,
          body: {
            properties: askProperties(ask, outcomeNote, consent),
            associations: [...link(ask.accountId, type.associationTypeIds.company), ...link(ask.contactId, type.associationTypeIds.contact), ...link(ask.dealId, type.associationTypeIds.deal)],
          },
        })),
        (client, inputs) => client.crm.objects.batchApi.create(type.objectTypeId, { inputs: inputs as never }),
        { idempotent: false },
      ),
      writeInBatches(
        this.ctx,
        'update advocacy asks',
        known.map(({ ask, outcomeNote, consent }) => ({ traceId: ask.askId, body: { id: (ask as { crmAskId?: string }).crmAskId, properties: askProperties(ask, outcomeNote, consent) } })),
        (client, inputs) => client.crm.objects.batchApi.update(type.objectTypeId, { inputs: inputs as never }),
        { idempotent: true },
      ),
    ]);
    for (const { outcomes } of [created, updated]) for (const [k, v] of outcomes) out.set(k, v);
    const duplicates = fresh.filter(({ ask }) => {
      const r = out.get(ask.askId);
      return r && 'error' in r && /already has that value|already exists|conflict|duplicate/i.test(r.error);
    });
    if (duplicates.length) {
      const again = await writeInBatches(
        this.ctx,
        'upsert advocacy asks',
        duplicates.map(({ ask, outcomeNote, consent }) => ({ traceId: ask.askId, body: { id: ask.askId, idProperty: 'ask_id', properties: askProperties(ask, outcomeNote, consent) } })),
        (client, inputs) => client.crm.objects.batchApi.upsert(type.objectTypeId, { inputs: inputs as never }),
        { idempotent: true },
      );
      for (const [k, v] of again.outcomes) out.set(k, v);
      if (again.failure) throw again.failure;
    }
    const failure = created.failure ?? updated.failure;
    if (failure && (!(failure instanceof CrmError) || failure.stopsScan || out.size === 0)) throw failure;
    return out;
  }

  /** Below Enterprise: the ask is mirrored as a note on the company (and its contact and deal). */
  private async saveAsksAsNotes(items: AskItem[]): Promise<Map<string, BatchOutcome>> {
    const byKey = new Map(items.map((i) => [`note:${i.ask.askId}`, i]));
    const existing = await createdObjectIds(this.db, this.portalId, [...byKey.keys()]);
    const known = items.filter((i) => existing.has(`note:${i.ask.askId}`) || (i.ask as { crmAskId?: string | null }).crmAskId);
    const fresh = items.filter((i) => !known.includes(i));
    const out = new Map<string, BatchOutcome>();
    const created = await createOnce(
      this.ctx,
      this.db,
      this.portalId,
      'notes',
      fresh.map((i) => `note:${i.ask.askId}`),
      (key) => {
        const { ask, outcomeNote, consent } = byKey.get(key)!;
        return this.noteInput(askNoteBody(ask, outcomeNote, consent), ask.proposedAt, ask.accountId, ask.contactId, ask.dealId);
      },
      (client, inputs) => client.crm.objects.notes.batchApi.create({ inputs: inputs as never }),
      (keys) => this.findNotes(keys.map((key) => ({ key, companyId: byKey.get(key)!.ask.accountId, marker: askNoteMarker(byKey.get(key)!.ask.askId) }))),
    );
    for (const [key, v] of created) out.set(key.slice('note:'.length), v);
    if (known.length) {
      const updated = await writeInBatches(
        this.ctx,
        'update ask notes',
        known.map(({ ask, outcomeNote, consent }) => ({
          traceId: ask.askId,
          body: { id: existing.get(`note:${ask.askId}`) ?? (ask as { crmAskId?: string }).crmAskId, properties: { hs_note_body: askNoteBody(ask, outcomeNote, consent) } },
        })),
        (client, inputs) => client.crm.objects.notes.batchApi.update({ inputs: inputs as never }),
        { idempotent: true },
      );
      for (const [k, v] of updated.outcomes) out.set(k, v);
      if (updated.failure && (!(updated.failure instanceof CrmError) || updated.failure.stopsScan || out.size === 0)) throw updated.failure;
    }
    return out;
  }

  /** Notes a crashed attempt may have made, by the marker in their body (see find-by-key). */
  private findNotes(wanted: KeyedRecord[]): Promise<Map<string, string>> {
    return findByKey((what, run) => callHubSpot(this.ctx, what, { idempotent: true }, run), 'notes', 'hs_note_body', wanted);
  }

  private noteInput(body: string, at: string, companyId: string, contactId: string | null, dealId: string | null) {
    return {
      properties: { hs_note_body: body, hs_timestamp: new Date(at).toISOString() },
      associations: [
        { to: { id: companyId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: NOTE_ASSOCIATION.company }] },
        ...(contactId ? [{ to: { id: contactId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: NOTE_ASSOCIATION.contact }] }] : []),
        ...(dealId ? [{ to: { id: dealId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: NOTE_ASSOCIATION.deal }] }] : []),
      ],
    };
  }

  async recordConsent(consent: Consent): Promise<void> {
    // With the custom object, consent travels on the ask (saveAsk's consent properties).
    if ((await this.storage()) !== 'notes') return;
    const key = `consent:${consent.consentId}:${consent.revokedOn ?? 'granted'}`;
    const result = await createOnce(
      this.ctx,
      this.db,
      this.portalId,
      'notes',
      [key],
      () => this.noteInput(consentNoteBody(consent, key), `${consent.revokedOn ?? consent.grantedOn}T12:00:00.000Z`, consent.accountId, consent.contactId, null),
      (client, inputs) => client.crm.objects.notes.batchApi.create({ inputs: inputs as never }),
      (keys) => this.findNotes(keys.map((k) => ({ key: k, companyId: consent.accountId, marker: htmlMarker(taskKeyMarker(k)) }))),
    );
    const r = result.get(key)!;
    if ('error' in r) throw new CrmError('CRM_REJECTED', `HubSpot refused the consent note: ${r.error}`);
  }
}
