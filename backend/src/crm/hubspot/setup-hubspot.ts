import type { Client } from '@hubspot/api-client';
import { loadObjectDefinition, type ObjectDef } from '../../../../objects/object-definition';
import { HUBSPOT_PROPERTY_GROUP, hubspotCompanyProperties, hubspotObjectSchema } from '../../../../objects/hubspot-schema';
import type { Db } from '../../store/db';
import { writePortalSetup } from '../../store/hubspot-tokens-repo';
import { CrmError } from '../errors';
import { buildClient, callHubSpot, defaultCallPolicy, type CallContext, type CallPolicy } from './call-hubspot';
import type { AskObjectType, AskStorage } from './ask-mirror';
import { DEFAULT_RATE_LIMIT, limiterForPortal, type PortalLimiter, type RateLimit } from './portal-limiter';
import type { AccessTokenSource } from './token-store';

// One-time setup of a portal: the company properties the app writes back (in their own group,
// so lists, reports and workflows can use them) and the advocacy-ask custom object with its
// associations to company, contact and deal. Everything is looked up before it is created, so a
// second run reports it all as already there. Custom objects need Enterprise: when the schemas
// API refuses (403), the portal runs in 'notes' mode (asks kept in our store, mirrored as notes).

export interface SetupHubSpotOptions {
  portalId: string;
  auth: AccessTokenSource;
  basePath?: string;
  policy?: CallPolicy;
  rate?: RateLimit;
  limiter?: PortalLimiter;
  /** The object definition (defaults to objects/advocacy-ask.json). */
  definition?: ObjectDef;
  /** When given, the chosen mode is recorded for the portal and its adapter follows it. */
  db?: Db;
}

export interface HubSpotSetupReport {
  mode: AskStorage;
  /** Why the portal runs on notes, when it does. */
  modeReason: string | null;
  created: string[];
  alreadyThere: string[];
  failed: Array<{ name: string; problem: string }>;
  /** What the adapter needs in custom-object mode (pass it as HubSpotCrmOptions.askObject). */
  askObject: AskObjectType | null;
}

const TO = { company: '0-2', contact: '0-1', deal: '0-3' } as const;

export async function setupHubSpot(options: SetupHubSpotOptions): Promise<HubSpotSetupReport> {
  const def = options.definition ?? loadObjectDefinition();
  const clients = new Map<string, Client>();
  const ctx: CallContext = {
    policy: options.policy ?? defaultCallPolicy(),
    limiter: options.limiter ?? limiterForPortal(options.portalId, options.rate ?? DEFAULT_RATE_LIMIT),
    auth: options.auth,
    stats: { calls: 0, rateLimited: 0, retried: 0 },
    clientFor: (token) => clients.get(token) ?? clients.set(token, buildClient(token, options.basePath)).get(token)!,
  };
  const report: HubSpotSetupReport = { mode: 'custom_object', modeReason: null, created: [], alreadyThere: [], failed: [], askObject: null };
  await companyPropertiesStep(ctx, def, report);
  await askObjectStep(ctx, def, report);
  if (options.db) await writePortalSetup(options.db, options.portalId, { askStorage: report.mode, askObject: report.askObject });
  return report;
}

async function companyPropertiesStep(ctx: CallContext, def: ObjectDef, report: HubSpotSetupReport): Promise<void> {
  const group = `companies group ${HUBSPOT_PROPERTY_GROUP}`;
  try {
    await callHubSpot(ctx, 'create property group', { idempotent: true }, (c) => c.crm.properties.groupsApi.create('companies', { name: HUBSPOT_PROPERTY_GROUP, label: 'Advocacy Loop', displayOrder: -1 }));
    report.created.push(group);
  } catch (error) {
    if (error instanceof CrmError && error.details.status === 409) report.alreadyThere.push(group);
    else if (error instanceof CrmError && error.stopsScan) throw error;
    else {
      report.failed.push({ name: group, problem: (error as Error).message });
      return;
    }
  }
  const wanted = hubspotCompanyProperties(def);
  const existing = await callHubSpot(ctx, 'read company properties', { idempotent: true }, (c) =>
    c.crm.properties.batchApi.read('companies', { archived: false, inputs: wanted.map((p) => ({ name: p.name })) }),
  );
  const present = new Set(existing.results.map((p) => p.name));
  for (const p of wanted) if (present.has(p.name)) report.alreadyThere.push(`companies.${p.name}`);
  const missing = wanted.filter((p) => !present.has(p.name));
  if (missing.length === 0) return;
  try {
    const answer = await callHubSpot(ctx, 'create company properties', { idempotent: true }, (c) =>
      c.crm.properties.batchApi.create('companies', { inputs: missing.map((p) => ({ ...p, groupName: HUBSPOT_PROPERTY_GROUP })) as never }),
    );
    const made = new Set(answer.results.map((p) => p.name));
    for (const p of missing) {
      if (made.has(p.name)) report.created.push(`companies.${p.name}`);
      else report.failed.push({ name: `companies.${p.name}`, problem: 'HubSpot did not create it' });
    }
  } catch (error) {
    if (error instanceof CrmError && error.stopsScan) throw error;
    for (const p of missing) report.failed.push({ name: `companies.${p.name}`, problem: (error as Error).message });
  }
}

const noCustomObjects = (error: unknown) => error instanceof CrmError && (error.details.status === 403 || error.details.status === 402);

async function askObjectStep(ctx: CallContext, def: ObjectDef, report: HubSpotSetupReport): Promise<void> {
  const toNotes = (error: unknown) => {
    report.mode = 'notes';
    report.modeReason = `the schemas API refused (${(error as Error).message}): custom objects need Enterprise (and the crm.schemas.custom scopes); asks are kept in the app and mirrored as notes on the company`;
  };
  let schemas;
  try {
    schemas = await callHubSpot(ctx, 'list object schemas', { idempotent: true }, (c) => c.crm.schemas.coreApi.getAll(false));
  } catch (error) {
    if (!noCustomObjects(error)) throw error;
    toNotes(error);
    return;
  }
  let schema = schemas.results.find((s) => s.name === def.name);
  if (schema) report.alreadyThere.push(`schema ${def.name}`);
  else {
    try {
      schema = await callHubSpot(ctx, 'create ask schema', { idempotent: false }, (c) => c.crm.schemas.coreApi.create(hubspotObjectSchema(def) as never));
      report.created.push(`schema ${def.name}`);
    } catch (error) {
      if (noCustomObjects(error)) return toNotes(error);
      if (error instanceof CrmError && error.stopsScan) throw error;
      report.failed.push({ name: `schema ${def.name}`, problem: (error as Error).message });
      report.mode = 'notes';
      report.modeReason = 'the ask schema could not be created; see failed';
      return;
    }
  }
  const objectTypeId = schema.objectTypeId ?? schema.id;
  const ids: AskObjectType['associationTypeIds'] = { company: null, contact: null, deal: null };
  for (const target of ['company', 'contact', 'deal'] as const) {
    const name = `association ${def.name} -> ${target}`;
    const found = (schema.associations ?? []).find((a) => a.fromObjectTypeId === objectTypeId && a.toObjectTypeId === TO[target]);
    if (found) {
      ids[target] = Number(found.id);
      (report.created.includes(`schema ${def.name}`) ? report.created : report.alreadyThere).push(name);
      continue;
    }
    try {
      const made = await callHubSpot(ctx, 'create ask association', { idempotent: false }, (c) => c.crm.schemas.coreApi.createAssociation(objectTypeId, { fromObjectTypeId: objectTypeId, toObjectTypeId: TO[target] } as never));
      ids[target] = Number(made.id);
      report.created.push(name);
    } catch (error) {
      if (error instanceof CrmError && error.stopsScan) throw error;
      report.failed.push({ name, problem: (error as Error).message });
    }
  }
  report.askObject = { objectTypeId, associationTypeIds: ids };
}
