import type { Connection } from 'jsforce';
import { loadObjectDefinition } from '../../../../objects/object-definition';
import { salesforceMetadataComponents } from '../../../../objects/salesforce-metadata';
import { CrmError } from '../errors';

// One-time setup: deploys Advocacy_Ask__c and its fields, and the Account write-back fields,
// through the Metadata API. upsertMetadata makes it idempotent: run it again and everything
// is reported as already there (updated in place), nothing is duplicated.

export interface SetupReport {
  created: string[];
  alreadyThere: string[];
  failed: Array<{ fullName: string; problem: string }>;
}

interface UpsertResult {
  fullName: string;
  success: boolean | string;
  created: boolean | string;
  errors?: { message?: string } | Array<{ message?: string }>;
}

const truthy = (v: boolean | string) => v === true || v === 'true';
// The Metadata API takes at most 10 components per upsert call.
const PER_CALL = 10;

export async function setupSalesforce(conn: Connection): Promise<SetupReport> {
  const { customObject, customFields } = salesforceMetadataComponents(loadObjectDefinition());
  const report: SetupReport = { created: [], alreadyThere: [], failed: [] };
  const record = (results: UpsertResult | UpsertResult[]) => {
    for (const r of [results].flat()) {
      if (!truthy(r.success)) {
        const errors = [r.errors ?? []].flat().map((e) => e?.message ?? 'refused');
        report.failed.push({ fullName: r.fullName, problem: errors.join('; ') });
      } else (truthy(r.created) ? report.created : report.alreadyThere).push(r.fullName);
    }
  };
  try {
    // The object first: its fields need it.
    record((await conn.metadata.upsert('CustomObject', [customObject as never])) as unknown as UpsertResult[]);
    if (report.failed.length) return report;
    for (let i = 0; i < customFields.length; i += PER_CALL) {
      record((await conn.metadata.upsert('CustomField', customFields.slice(i, i + PER_CALL) as never[])) as unknown as UpsertResult[]);
    }
  } catch (error) {
    throw new CrmError('CRM_REJECTED', `the Metadata API refused the deploy: ${(error as Error).message}`);
  }
  return report;
}
