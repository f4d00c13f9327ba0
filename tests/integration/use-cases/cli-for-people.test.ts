import type { AppContext } from '../../../backend/src/app-context';
import { accountCommand } from '../../../backend/src/cli/commands/account';
import { asksCommand } from '../../../backend/src/cli/commands/asks';
import { scanCommand } from '../../../backend/src/cli/commands/scan';
import type { CliIo } from '../../../backend/src/cli/io';
import { LocalCrm } from '../../../backend/src/crm/local/local-crm';
import { applyDataset } from '../../../backend/src/import/dataset';
import type { Db } from '../../../backend/src/store/db';
import { championsDataset, TODAY } from '../../support/builders';
import { testContext } from '../../support/context';
import { openTestDb } from '../../support/store';

// The CLI read by a person: one account in full, and a scan summary that says why accounts
// are not ready.

function captureIo(): CliIo & { out: () => string } {
  let out = '';
  return { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true }, env: {}, out: () => out };
}

describe('advocacy account and the scan summary', () => {
  let db: Db;
  let ctx: AppContext;
  beforeEach(async () => {
    db = await openTestDb('pglite');
    const ds = championsDataset([
      { id: 'acc-1', account: { name: 'Acme Analytics' } },
      { id: 'acc-low', account: { healthScore: 40 } },
      { id: 'acc-new', account: { healthScore: 41, customerSince: '2026-10-01' } },
    ]);
    await db.transaction((tx) => applyDataset(tx, 'local', ds));
    ctx = await testContext(db, { crmFor: (p) => new LocalCrm(db, p) });
  });
  afterEach(async () => db.close());

  it('when the scan ran, then its summary breaks not ready down by reason, and `account` shows readiness, the ask in progress, the decision and history with names', async () => {
    const scanIo = captureIo();
    expect(await scanCommand(ctx, scanIo, { asOf: TODAY })).toBe(0);
    const summary = scanIo.out();
    expect(summary).toContain('Not ready, by reason (an account may fail several):');
    expect(summary).toMatch(/HEALTH_BELOW_MIN\s+2\n/);
    expect(summary).toMatch(/TENURE_TOO_SHORT\s+1\n/);

    const io = captureIo();
    expect(await accountCommand(ctx, io, 'acc-1', {})).toBe(0);
    const out = io.out();
    expect(out).toMatch(/^Acme Analytics \(acc-1\)\n/);
    expect(out).toMatch(/Readiness \d+(\.\d+)? \(green\) as of 2026-11-24/);
    expect(out).toContain('health');
    expect(out).toMatch(/Ask in progress: quote to Champion acc-1 \(con-acc-1\), proposed 0 day\(s\) ago \(ask-[0-9a-f]{16}\)/);
    expect(out).toContain('next: sent, cancelled');
    expect(out).toContain('Decision: propose (quote to Champion acc-1 (con-acc-1))');
    expect(out).toMatch(/History\n.*ask .*type .*contact/);
    expect(out).toContain('Champion acc-1 (con-acc-1)');
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('when the scan proposed an ask, then the scan and `asks` tables show the account and contact names beside their ids', async () => {
    const scanIo = captureIo();
    expect(await scanCommand(ctx, scanIo, { asOf: TODAY })).toBe(0);
    expect(scanIo.out()).toMatch(/Proposed asks.*\n.*\n.*\nacc-1 Acme Analytics\s+con-acc-1 Champion acc-1\s+quote/);

    const io = captureIo();
    expect(await asksCommand(ctx, io, {})).toBe(0);
    expect(io.out()).toMatch(/ask-[0-9a-f]{16}\s+acc-1 Acme Analytics\s+con-acc-1 Champi\S*\s+quote\s+proposed/);
    for (const line of io.out().split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('when a scan runs on a terminal, then the progress bar shows done/total and the percent', async () => {
    let err = '';
    const io: CliIo = { stdout: { write: () => true }, stderr: { isTTY: true, write: (s: string) => (err += s) } as CliIo['stderr'], env: {} };
    Object.assign(io.stderr, { columns: 100, cursorTo: () => true, clearLine: () => true, moveCursor: () => true, on: () => io.stderr, removeListener: () => io.stderr });
    expect(await scanCommand(ctx, io, { asOf: TODAY })).toBe(0);
    expect(err).toContain('3/3 accounts 100%');
  });

  it('when the account is unknown, then it is refused as not found', async () => {
    await expect(accountCommand(ctx, captureIo(), 'acc-none', {})).rejects.toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
  });
});
