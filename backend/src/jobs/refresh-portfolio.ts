import { criteriaContentHash } from '../config/criteria-hash';
import { daysBetween } from '../domain/calendar';
import type { IsoDate } from '../domain/types';
import { runScan, ScanRunningError, type ScanDeps, type ScanOptions, type ScanResult } from './scan-portfolio';

// The daily refresh: re-evaluate only what can have changed since the last refresh committed.
// That is the accounts whose CRM data changed (the adapter's change listing), whose rows here
// changed (the embedded CRM's tables, asks, consents: marked by triggers) or whose change
// events arrived, and the accounts whose decision stops holding today (holdsUntil, computed by
// the domain beside its rules). Anything else would be decided exactly as before. Accounts
// whose CRM data did not change (only asks or consents here, or a due date) are judged from the
// CRM signals the reference index stored at their last read, with no CRM read. A full scan
// runs instead when asked (`scan --full`), on the first refresh, when the criteria's content
// changed since the last full scan, every FULL_SCAN_EVERY_DAYS days as a safety net, and when
// the CRM cannot list its changes.
//
// Watermarks: the marks (the CRM's clock and the database's, less REFRESH_OVERLAP_MINUTES for
// skew and transactions still committing) are taken before anything is read and kept as
// pending; they become the watermarks only once the refresh has committed every page. A crash
// leaves the old watermarks (and the first attempt's marks), so the retry reads a superset.

export interface RefreshDeps extends ScanDeps {
  fullEveryDays: number;
  overlapMinutes: number;
}

export type RefreshOptions = Pick<ScanOptions, 'asOf' | 'pageSize' | 'onDecision' | 'onProgress' | 'shouldYield' | 'lockWaitMs'> & { full?: boolean };

export interface RefreshResult extends ScanResult {
  mode: 'full' | 'incremental';
  /** Why a full scan ran (null for an incremental refresh). */
  fullBecause: string | null;
  /** For an incremental refresh, where the accounts it re-evaluated came from (an account can be in several). */
  selected: { crmChanged: number; storeChanged: number; due: number; total: number } | null;
}

export const incrementalRunKeyFor = (asOf: IsoDate, criteriaVersion: string) => `refresh:${asOf}:${criteriaVersion}`;

export async function refreshPortfolio(deps: RefreshDeps, options: RefreshOptions): Promise<RefreshResult> {
  // One refresh of a portal and date at a time across processes, its watermarks included
  // (store/scan-lock); the scan inside runs under the same hold.
  const held = await deps.store.scanLock(deps.portalId, options.asOf, { waitMs: options.lockWaitMs ?? 0, giveUp: options.shouldYield }, () => refreshHeld(deps, { ...options, lockHeld: true }));
  if (!held.ran) throw new ScanRunningError(deps.portalId, options.asOf, held.holder);
  return held.value;
}

async function refreshHeld(deps: RefreshDeps, options: RefreshOptions & { lockHeld: true }): Promise<RefreshResult> {
  const { store, crm, criteria, portalId } = deps;
  const { asOf } = options;
  const criteriaHash = criteriaContentHash(criteria);
  const state = await store.refresh.state(portalId);
  const fullBecause = options.full
    ? 'asked for (--full)'
    : !state || state.lastFullOn === null || state.crmSince === null || state.storeSince === null
      ? 'no full scan recorded yet'
      : state.criteriaHash !== criteriaHash
        ? `the criteria changed (content ${state.criteriaHash} -> ${criteriaHash})`
        : asOf <= state.lastFullOn
          ? // The day of the last full scan (run again: it creates nothing twice) or a day before it.
            `${asOf} is ${asOf === state.lastFullOn ? 'the day' : 'before the day'} of the last full scan (${state.lastFullOn})`
          : daysBetween(state.lastFullOn, asOf) >= deps.fullEveryDays
          ? `the last full scan was on ${state.lastFullOn} (every ${deps.fullEveryDays} days)`
          : !crm.changedAccountsSince
            ? `the ${crm.kind} adapter cannot list its changes`
            : null;

  const overlapMs = deps.overlapMinutes * 60_000;
  const back = (iso: string) => new Date(Date.parse(iso) - overlapMs).toISOString();
  await store.refresh.begin(portalId, { crmSince: back(deps.now().toISOString()), storeSince: back(await store.refresh.clock()), full: fullBecause !== null });

  let result: ScanResult;
  let selected: RefreshResult['selected'] = null;
  if (fullBecause !== null) {
    result = await runScan(deps, options);
  } else {
    const [listed, storeSources, due] = await Promise.all([crm.changedAccountsSince!(state!.crmSince!), store.refresh.changedSources(portalId, state!.storeSince!), store.refresh.due(portalId, asOf)]);
    const storeChanged = storeSources.map((c) => c.accountId);
    // A company last modified by the app's own write-back (at the time the CRM gave that write) holds nothing new.
    const written = await store.refresh.writtenAt(portalId, listed.filter((c) => c.modifiedAt !== null).map((c) => c.accountId));
    const crmChanged = listed.filter((c) => c.modifiedAt === null || !written.has(c.accountId) || Date.parse(c.modifiedAt) > Date.parse(written.get(c.accountId)!)).map((c) => c.accountId);
    const accountIds = [...new Set([...crmChanged, ...storeChanged, ...due])];
    // Accounts whose CRM data did not change (not listed by the CRM, no embedded CRM row or change
    // event here) are judged from the signals stored when they were last read: every CRM read of
    // an account stores its signals (scan pages, this refresh's reads, change events), and any
    // CRM change after that read is listed by the next refresh, whose mark was taken before it.
    const crmData = new Set([...crmChanged, ...storeSources.filter((c) => c.crmData).map((c) => c.accountId)]);
    const fromStore = accountIds.filter((id) => !crmData.has(id));
    selected = { crmChanged: crmChanged.length, storeChanged: storeChanged.length, due: due.length, total: accountIds.length };
    result = await runScan(deps, { ...options, only: { accountIds, runKey: incrementalRunKeyFor(asOf, criteria.version), fromStore } });
  }
  // A run of this day that had already finished read nothing now: the watermarks stay where that run left them.
  if (result.status === 'done' && !result.alreadyDone) await store.refresh.finish(portalId, { criteriaHash, full: fullBecause !== null, asOf });
  return { ...result, mode: fullBecause !== null ? 'full' : 'incremental', fullBecause, selected };
}
