import type { AppContext, ServiceContext } from '../../app-context';
import { generatePortfolio } from '../../demo/generate-portfolio';
import { dayOf } from '../../domain/calendar';
import { applyDataset, datasetCounts } from '../../import/dataset';
import type { CliIo } from '../io';
import { reportCommand } from './report';
import { scanCommand } from './scan';
import { serveCommand, type StoreOwnership } from './serve';

/** Seeds the demo portfolio on an empty store. Returns true when it seeded. */
export async function seedDemoIfEmpty(ctx: AppContext, io: CliIo): Promise<boolean> {
  const portalId = ctx.defaultPortalId;
  if ((await ctx.crmFor(portalId).listAccounts({ cursor: null, limit: 1 })).items.length > 0) return false;
  const asOf = dayOf(ctx.now());
  const ds = generatePortfolio({ seed: ctx.env.DEMO_SEED, accounts: ctx.env.DEMO_ACCOUNTS, asOf });
  await ctx.store.transaction(async (tx) => {
    await applyDataset(tx.connection, portalId, ds);
    await tx.audit.append(portalId, [{ actor: 'system:demo', action: 'import.applied', entityType: 'import', entityId: `demo-seed-${ctx.env.DEMO_SEED}`, accountId: null, criteriaVersion: null, before: null, after: datasetCounts(ds) }], ctx.now().toISOString());
  });
  const c = datasetCounts(ds);
  io.stdout.write(`Seeded the demo portfolio (seed ${ctx.env.DEMO_SEED}): ${c.accounts} companies, ${c.contacts} contacts, ${c.owners} CSMs, ${c.nps} NPS responses, ${c.health} health readings, ${c.asks} prior asks, ${c.consents} consents, ${c.deals} deals\n`);
  return true;
}

/** The main job on the embedded default: seed (first run), scan, report, then serve. */
export async function startCommand(ctx: ServiceContext, io: CliIo, args: { serve?: boolean }, owner?: StoreOwnership): Promise<number> {
  io.stdout.write(`Advocacy Loop - store: ${ctx.store.kind === 'pglite' ? `embedded PGlite at ${ctx.env.DATA_DIR}` : 'PostgreSQL'}, CRM: ${ctx.env.CRM}, criteria ${ctx.criteria.version}\n`);
  if (ctx.env.CRM === 'local') await seedDemoIfEmpty(ctx, io);
  const code = await scanCommand(ctx, io, {});
  if (code !== 0) return code;
  await reportCommand(ctx, io, { months: '6' });
  if (args.serve === false) return 0;
  return serveCommand(ctx, io, {}, owner);
}
