import type { ServiceContext } from '../../app-context';
import type { Env } from '../../config/env';
import { hubspotAuthModeFromEnv, hubspotRateFromEnv } from '../../crm/hubspot/from-env';
import { setupHubSpot, type HubSpotSetupReport } from '../../crm/hubspot/setup-hubspot';
import { staticToken } from '../../crm/hubspot/token-store';
import { connectSalesforce } from '../../crm/salesforce/connect';
import { salesforceAuthFromEnv } from '../../crm/salesforce/from-env';
import { setupSalesforce } from '../../crm/salesforce/setup-salesforce';
import type { CliIo } from '../io';

// `advocacy setup <crm>`: one-time, idempotent. Says what it created, what was already there,
// and (HubSpot) which mode the portal runs in; exit 1 when anything failed.

export async function setupSalesforceCommand(env: Env, io: CliIo): Promise<number> {
  const report = await setupSalesforce(await connectSalesforce(salesforceAuthFromEnv(env)));
  io.stdout.write(`created: ${report.created.length ? report.created.join(', ') : 'nothing'}\nalready there (updated in place): ${report.alreadyThere.length}\n`);
  for (const f of report.failed) io.stderr.write(`failed: ${f.fullName}: ${f.problem}\n`);
  return report.failed.length ? 1 : 0;
}

/** Sets up one HubSpot account with the credentials the environment gives for it. */
export function setUpHubSpotPortal(ctx: ServiceContext, portalId: string): Promise<HubSpotSetupReport> {
  const { env, db } = ctx;
  const auth = hubspotAuthModeFromEnv({ ...env, CRM: 'hubspot' }) === 'oauth' ? ctx.hubspotTokens().sourceFor(portalId) : staticToken(env.HUBSPOT_ACCESS_TOKEN!);
  return setupHubSpot({ portalId, auth, db, basePath: env.HUBSPOT_API_BASE_URL, rate: hubspotRateFromEnv(env) });
}

export const setupSummary = (r: HubSpotSetupReport) =>
  `Set up: ${r.created.length} created, ${r.alreadyThere.length} already there${r.failed.length ? `, ${r.failed.length} failed` : ''}; asks ${r.mode === 'custom_object' ? 'go to the advocacy-ask object' : 'are mirrored as notes (no custom objects on this account)'}.`;

export async function setupHubSpotCommand(ctx: ServiceContext, io: CliIo): Promise<number> {
  const portalId = ctx.defaultPortalId;
  const report = await setUpHubSpotPortal(ctx, portalId);
  io.stdout.write(`HubSpot ${portalId}\n`);
  io.stdout.write(`created: ${report.created.length ? report.created.join(', ') : 'nothing'}\n`);
  io.stdout.write(`already there: ${report.alreadyThere.length ? report.alreadyThere.join(', ') : 'nothing'}\n`);
  io.stdout.write(
    report.mode === 'custom_object'
      ? `mode: custom object (asks are written to ${report.askObject?.objectTypeId ?? 'the advocacy-ask object'})\n`
      : `mode: notes (${report.modeReason ?? 'no custom objects on this portal'}): asks are kept in Advocacy Loop and mirrored as notes on the company\n`,
  );
  for (const f of report.failed) io.stderr.write(`failed: ${f.name}: ${f.problem}\n`);
  return report.failed.length ? 1 : 0;
}
