import { Command, CommanderError } from 'commander';
import { resolve } from 'node:path';
import type { ServiceContext } from '../app-context';
import { ConfigError, loadEnv, type Env } from '../config/env';
import { cliActor } from './actor';
import { processIo, UsageError, type CliIo } from './io';
import { claimDataFolder, DataFolderBusyError } from '../service/claim-data-folder';
import type { DataFolderLease, LockHolder } from '../service/data-folder-lock';
import { forwardCommand, ServiceUnreachableError } from '../service/forward-command';
import { readServiceToken, TokenUnreadableError } from '../service/service-token';

// A command loads what it runs and nothing else: the composition root, the commands and their
// use cases, the SDKs and the HTTP stack are imported when an action needs them (import() is a
// require() in the compiled CommonJS), so a command a running service answers costs only this
// file, commander and the data-folder lock (README "Fast commands").

// `advocacy`: exit 0 on success, 1 on a refused operation (bad file, invalid transition,
// tampered log), 2 on bad arguments, 3 when the CRM stopped a scan (resumable), 4 when the
// embedded data folder is held by another process that could not be waited for or reached.

export interface RunOptions {
  /** Set when the command runs inside the service that owns the store (sent by a CLI). */
  context?: ServiceContext;
  /** The caller's working directory, for file arguments. */
  cwd?: string;
}

/** A one-off command that writes, a read command (opens the store briefly), or the service. */
type Role = 'service' | 'command' | 'read';

/**
 * The embedded store is opened by one process at a time: take the data folder, or send the
 * whole command to the service that has it (its output streams back), or wait briefly for a
 * one-off command that has it. Returns the lease, or the exit code of the forwarded command.
 */
async function ownOrForward(env: Env, argv: string[], role: 'service' | 'command', io: CliIo, cwd: string): Promise<DataFolderLease | number> {
  const dir = resolve(cwd, env.DATA_DIR);
  let unreachable: LockHolder | null = null;
  for (;;) {
    const claim = await claimDataFolder(dir, {
      role,
      command: argv[0] ?? '',
      waitMs: env.LOCK_WAIT_SECONDS * 1000,
      unreachable,
      onWait: (h) => io.stderr.write(`waiting for \`advocacy ${h.command}\` (pid ${h.pid}) to release ${dir}...\n`),
    });
    if (claim.kind === 'local') return claim.lease;
    try {
      return await forwardCommand(claim.service.address!, readServiceToken(dir), argv, cwd, io);
    } catch (error) {
      if (!(error instanceof ServiceUnreachableError)) throw error;
      unreachable = claim.service; // stopping or crashed: look again
    }
  }
}

export async function run(argv: string[], io: CliIo = processIo(), options: RunOptions = {}): Promise<number> {
  let ctx: ServiceContext | null = options.context ?? null;
  let lease: DataFolderLease | null = null;
  const cwd = options.cwd ?? process.cwd();
  const withCtx = (fn: (ctx: ServiceContext) => Promise<number>, role: Role = 'command') => async () => {
    if (options.context && role === 'service') {
      throw new DataFolderBusyError('the service is already running: this command starts another one; stop the running service first', { pid: process.pid, host: '', role: 'service', command: 'serve', startedAt: '', address: null, nonce: '' });
    }
    if (!ctx) {
      const env = loadEnv(io.env);
      if (!env.DATABASE_URL) {
        const owned = await ownOrForward(env, argv, role === 'service' ? 'service' : 'command', io, cwd);
        if (typeof owned === 'number') return owned;
        lease = owned;
      }
      ctx = await (await import('../app-context')).createContext(io.env, { brief: role === 'read' });
    }
    return fn(ctx);
  };
  // What serve needs to own the folder: its lease, and a way to run the commands CLIs send it.
  const ownership = () =>
    lease && ctx ? { lease, dataDir: resolve(cwd, ctx.env.DATA_DIR), runCommand: (a: string[], cio: CliIo, ccwd: string) => run(a, cio, { context: ctx!, cwd: ccwd }) } : undefined;
  let result = 0;
  const set = (p: Promise<number>) => p.then((code) => void (result = code));

  const program = new Command('advocacy')
    .description('Advocacy Loop: find customers ready to advocate, propose the right ask, hand off when it would hurt.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showSuggestionAfterError();

  program
    .command('start')
    .description('seed the demo on first run, scan the portfolio, print the report, then serve the API')
    .option('--no-serve', 'stop after the report')
    .action((opts) => set(withCtx(async (c) => (await import('./commands/start')).startCommand(c, io, opts, ownership()), opts.serve === false ? 'command' : 'service')()));
  program
    .command('import')
    .argument('<file>', 'a .csv or .json file (see README for columns)')
    .option('--kind <kind>', 'what the file holds (otherwise taken from the file name)')
    .description('import accounts, contacts, signals or history; a bad file imports nothing')
    .action((file, opts) => set(withCtx(async (c) => (await import('./commands/import')).importCommand(c, io, file, { ...opts, cwd }))()));
  program
    .command('scan')
    .description('evaluate the accounts that changed or are due (every account with --full) and create the asks and hand-off tasks they call for')
    .option('--as-of <date>', 'evaluation date, YYYY-MM-DD (default today)')
    .option('--dry-run', 'evaluate and print, write nothing')
    .option('--full', 'evaluate every account (otherwise only those changed since the last scan or whose decision is due, with a full scan every FULL_SCAN_EVERY_DAYS days)')
    .option('--json', 'print one JSON document')
    .action((opts) => set(withCtx(async (c) => (await import('./commands/scan')).scanCommand(c, io, opts))()));
  program
    .command('report')
    .description('program KPIs and the pipeline month by month')
    .option('--months <n>', 'how many months (default 6)')
    .option('--as-of <date>', 'report date, YYYY-MM-DD (default today)')
    .option('--json', 'print JSON')
    .action((opts) => set(withCtx(async (c) => (await import('./commands/report')).reportCommand(c, io, opts), 'read')()));
  program
    .command('asks')
    .description('list asks')
    .option('--account <id>', 'only this account')
    .option('--status <status>', 'only this status')
    .option('--json', 'print JSON')
    .action((opts) => set(withCtx(async (c) => (await import('./commands/asks')).asksCommand(c, io, opts), 'read')()));
  program
    .command('outcome')
    .argument('<askId>')
    .argument('<status>', 'sent, accepted, declined, no_response, completed or cancelled')
    .option('--consent-scope <scope>', 'consent recorded with this outcome (an ask type)')
    .option('--evidence <text>', 'how the customer consented')
    .option('--granted-on <date>', 'consent date (default today)')
    .option('--expires-on <date>', 'consent expiry')
    .option('--note <text>', 'outcome note')
    .option('--advocate-feedback <text>', "after a reference: what the advocate said")
    .option('--prospect-feedback <text>', 'after a reference: what the prospect said')
    .option('--actor <name>', 'who recorded it, for the audit log (default: your OS user)')
    .description('record an ask outcome (and consent)')
    .action((askId, status, opts) => set(withCtx(async (c) => (await import('./commands/asks')).outcomeCommand(c, io, askId, status, { ...opts, actor: cliActor(opts.actor) }))()));
  program
    .command('account')
    .argument('<accountId>')
    .option('--as-of <date>', 'evaluation date, YYYY-MM-DD (default today)')
    .option('--json', 'print JSON (the API\'s account view)')
    .description("one account: readiness and why, the decision or the ask in progress, and its history")
    .action((accountId, opts) => set(withCtx(async (c) => (await import('./commands/account')).accountCommand(c, io, accountId, opts), 'read')()));
  program
    .command('csm-ask')
    .argument('<accountId>')
    .option('--type <askType>', 'what you asked for: quote, review, reference_call, logo, case_study, speaking, advisory_board')
    .option('--contact <id>', 'the contact you asked')
    .option('--on <date>', 'when you asked, YYYY-MM-DD (default today)')
    .option('--note <text>', 'a note on the ask')
    .option('--actor <name>', 'who recorded it, for the audit log (default: your OS user)')
    .description('record an ask you made to the customer yourself (CSM-owned; counted in caps, cooldowns and KPIs)')
    .action((accountId, opts) => set(withCtx(async (c) => (await import('./commands/csm-ask')).csmAskCommand(c, io, accountId, opts, cliActor(opts.actor)))()));
  program
    .command('revoke-consent')
    .argument('<consentId>')
    .option('--actor <name>', 'who recorded it, for the audit log (default: your OS user)')
    .description('record that a customer withdrew a consent; no new ask of its scope is proposed')
    .action((consentId, opts) =>
      set(
        withCtx(async (c) => {
          const { revokeConsent } = await import('../use-cases/record-outcome');
          const consent = await revokeConsent(c, c.defaultPortalId, consentId, cliActor(opts.actor));
          io.stdout.write(`consent ${consent.consentId} (${consent.scope}) revoked on ${consent.revokedOn}\n`);
          return 0;
        })(),
      ),
    );
  const references = program.command('references').description('reference requests from deals: match advocates, request one, follow the requests');
  const needOptions = (c: Command) =>
    c
      .requiredOption('--deal <id>', 'the deal the reference is for')
      .option('--ask-type <type>', 'ask type (default reference_call)')
      .option('--industry <v>', "prospect's industry (default: the deal's company)")
      .option('--size-band <v>', "prospect's size band")
      .option('--region <v>', "prospect's region")
      .option('--product <v>', 'product the prospect is buying')
      .option('--use-case <v>', 'use case')
      .option('--competitor <v>', 'competitor being replaced')
      .option('--language <v>', 'language of the call')
      .option('--due <date>', 'needed by, YYYY-MM-DD')
      .option('--json', 'print JSON');
  needOptions(references.command('match').description('rank matching advocates for a deal, with why each matches'))
    .action((opts) => set(withCtx(async (c) => (await import('./commands/references')).referencesMatchCommand(c, io, opts), 'read')()));
  needOptions(references.command('request').description("request a reference: creates the ask and a task for the advocate's CSM to approve"))
    .requiredOption('--contact <id>', 'the advocate contact to ask')
    .action((opts) => set(withCtx(async (c) => (await import('./commands/references')).referencesRequestCommand(c, io, opts))()));
  references
    .command('list')
    .description("a deal's reference requests, their status and overdue service levels")
    .requiredOption('--deal <id>', 'the deal')
    .option('--json', 'print JSON')
    .action((opts) => set(withCtx(async (c) => (await import('./commands/references')).referencesListCommand(c, io, opts), 'read')()));
  program
    .command('log')
    .description('the audit log')
    .option('--account <id>', 'only this account')
    .option('--verify', 'verify the keyed chain, its head and every checkpoint (exit 1 on any problem)')
    .option('--anchors <files...>', 'with --verify: checkpoint files to check against (besides AUDIT_ANCHOR_FILE and the CRM)')
    .option('--anchor', 'write a signed checkpoint of the head to the anchor file and the CRM')
    .option('--limit <n>', 'entries to show (default 200)')
    .option('--json', 'print JSON')
    .action((opts) => set(withCtx(async (c) => (await import('./commands/log')).logCommand(c, io, opts), 'read')()));
  program
    .command('erase')
    .requiredOption('--contact <id>', 'the contact to erase')
    .option('--json', 'print JSON')
    .description("erase a person's personal data from the store (ids and decisions stay; the audit log records the erasure)")
    .action((opts) => set(withCtx(async (c) => (await import('./commands/privacy')).eraseCommand(c, io, opts))()));
  program
    .command('uninstall')
    .requiredOption('--portal <id>', 'the portal the app was uninstalled from, e.g. hubspot:123456')
    .description("record an app uninstall: the portal's tokens go now, its data after UNINSTALL_GRACE_DAYS")
    .action((opts) => set(withCtx(async (c) => (await import('./commands/privacy')).uninstallCommand(c, io, opts))()));
  program
    .command('purge-uninstalled')
    .description('delete the data of uninstalled portals whose grace period has ended (scan and start do it too)')
    .action(() => set(withCtx(async (c) => (await import('./commands/privacy')).purgeCommand(c, io))()));
  program
    .command('setup')
    .argument('<crm>', 'hubspot or salesforce')
    .description('one-time CRM setup: the advocacy-ask object and the write-back fields (idempotent); Salesforce org keys for the Lightning components')
    .option('--issue-key', 'salesforce: issue a key for the org (PORTAL_ID) that its Lightning components present; printed once')
    .option('--key-days <n>', 'salesforce: days the issued key is valid (default 365)')
    .option('--revoke-key <id>', 'salesforce: revoke an org key by its id')
    .option('--list-keys', "salesforce: list the org's keys and their state")
    .option('--actor <name>', 'who did it, for the audit log (default: the OS user)')
    .action(async (crm, opts) => {
      const orgKeys = crm === 'salesforce' ? await import('./commands/salesforce-org-keys') : null;
      if (orgKeys?.wantsOrgKeys(opts)) return set(withCtx((c) => orgKeys.orgKeyCommand(c, io, opts, cliActor(opts.actor)))());
      if (crm === 'salesforce') return set(import('./commands/setup').then((m) => m.setupSalesforceCommand(loadEnv(io.env), io)));
      if (crm === 'hubspot') return set(withCtx(async (c) => (await import('./commands/setup')).setupHubSpotCommand(c, io))());
      throw new UsageError(`setup supports: hubspot, salesforce; got "${crm}"`);
    });
  program
    .command('jobs')
    .description("the service's jobs: backlog and failures per queue (with reasons), last successful scan per portal")
    .option('--json', 'print JSON')
    .action((opts) => set(withCtx(async (c) => (await import('./commands/jobs')).jobsCommand(c, io, opts), 'read')()));
  program
    .command('notifications')
    .description('what the CSMs were told (or, with no messaging tool configured, what would have been sent): newest first')
    .option('--status <status>', 'pending, sent, digested, suppressed or failed')
    .option('--owner <id>', "only this CSM's (CRM owner id)")
    .option('--ask <id>', 'only about this ask')
    .option('--limit <n>', 'how many (default 200)')
    .option('--send', 'send what is due now first (the service does it every 5 minutes and after each scan)')
    .option('--json', 'print JSON')
    .action((opts) => set(withCtx(async (c) => (await import('./commands/notifications')).notificationsCommand(c, io, opts))()));
  program
    .command('slack')
    .description('Slack: `slack install-link [--portal ID]` prints a 10-minute link that installs the app in a workspace for the portal')
    .argument('<what>', 'install-link')
    .option('--portal <id>', 'the portal the workspace will serve (default PORTAL_ID)')
    .action((what, opts) => {
      if (what !== 'install-link') throw new UsageError(`slack supports: install-link; got "${what}"`);
      return set(withCtx(async (c) => (await import('./commands/slack')).slackInstallLinkCommand(c, io, opts))());
    });
  program
    .command('worker')
    .description('take jobs from the PostgreSQL server (DATABASE_URL) until SIGTERM; run as many as you like')
    .action(() => set(withCtx(async (c) => (await import('./commands/worker')).workerCommand(c, io))()));
  program
    .command('serve')
    .description('serve the HTTP API')
    .option('--port <port>', 'port (default PORT or 3000)')
    .action((opts) => set(withCtx(async (c) => (await import('./commands/serve')).serveCommand(c, io, opts, ownership()), 'service')()));

  try {
    if (argv.length === 0) {
      program.outputHelp();
      return 2;
    }
    await program.parseAsync(argv, { from: 'user' });
    return result;
  } catch (error) {
    return await handle(error, io);
  } finally {
    // A command run inside the service leaves the service's store open.
    if (!options.context) await (ctx as ServiceContext | null)?.close();
    (lease as DataFolderLease | null)?.release();
  }
}

async function handle(error: unknown, io: CliIo): Promise<number> {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
    return 2; // commander already printed the problem
  }
  if (error instanceof UsageError) {
    io.stderr.write(`error: ${error.message}\n`);
    return 2;
  }
  if (error instanceof DataFolderBusyError || error instanceof TokenUnreadableError) {
    io.stderr.write(`error: ${error.message}\n`);
    return 4;
  }
  if (error instanceof ConfigError) {
    io.stderr.write(`error: ${error.message}\n`);
    return 2;
  }
  // The error classes of the layers below, loaded only when something failed.
  const [{ ImportError }, { DomainError }, { AuditTamperedError }, { CrmError }] = await Promise.all([import('../import/read-import-file'), import('../domain/errors'), import('../store/audit-log'), import('../crm/errors')]);
  if (error instanceof ImportError || error instanceof DomainError || error instanceof AuditTamperedError) {
    io.stderr.write(`error: ${error.message}\n`);
    return 1;
  }
  if (error instanceof CrmError) {
    io.stderr.write(`error: the CRM refused: ${error.code}: ${error.message}\n`);
    return error.stopsScan ? 3 : 1;
  }
  io.stderr.write(`error: ${(error as Error)?.stack ?? String(error)}\n`);
  return 1;
}
