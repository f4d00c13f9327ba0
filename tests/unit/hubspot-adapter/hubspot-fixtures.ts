import nock from 'nock';
import { HubSpotCrm, type HubSpotCrmOptions } from '../../../backend/src/crm/hubspot/hubspot-crm';
import { PortalLimiter } from '../../../backend/src/crm/hubspot/portal-limiter';
import { staticToken } from '../../../backend/src/crm/hubspot/token-store';
import type { Db } from '../../../backend/src/store/db';
import { openTestDb as openStore } from '../../support/store';

// Realistic HubSpot answers (shapes as the v3/v4 APIs return them) and an adapter wired for
// tests: no prefetch (so every request is one the test expects), waits recorded, not slept.

export const API = 'https://api.hubapi.com';
export const AT = '2026-11-20T10:00:00.000Z';

export function openTestDb(): Promise<Db> {
  return openStore('pglite');
}

export function testPolicy(waits: number[] = []) {
  return {
    timeoutMs: 500,
    attempts: 3,
    baseDelayMs: 10,
    maxDelayMs: 40,
    rateLimitAttempts: 4,
    rateLimitWaitMs: 1000,
    sleep: async (ms: number) => {
      waits.push(ms);
    },
  };
}

export function buildCrm(db: Db, overrides: Partial<HubSpotCrmOptions> = {}, waits: number[] = []): HubSpotCrm {
  return new HubSpotCrm({
    portalId: 'portal-1',
    db,
    auth: staticToken('pat-na1-test'),
    policy: testPolicy(waits),
    limiter: new PortalLimiter({ perWindow: 190, windowMs: 10_000, maxConcurrent: 4, marginShare: 0 }),
    prefetch: false,
    askObject: { objectTypeId: '2-123456', associationTypeIds: { company: 31, contact: 33, deal: 35 } },
    ...overrides,
  });
}

export const company = (id: string, props: Record<string, string | null> = {}) => ({
  id,
  properties: {
    hs_object_id: id,
    name: `Company ${id}`,
    hubspot_owner_id: '71',
    health_score: '88',
    closedate: '2024-05-01T00:00:00.000Z',
    industry: 'COMPUTER_SOFTWARE',
    country: 'Germany',
    createdate: AT,
    hs_lastmodifieddate: AT,
    ...props,
  },
  createdAt: AT,
  updatedAt: AT,
  archived: false,
});

export const contact = (id: string, props: Record<string, string | null> = {}) => ({
  id,
  properties: {
    hs_object_id: id,
    firstname: 'Dana',
    lastname: 'Reyes',
    jobtitle: 'VP Customer Success',
    nps_score: '10',
    nps_date: '2026-09-15',
    hs_seniority: null,
    hs_email_optout: 'false',
    createdate: AT,
    lastmodifieddate: AT,
    ...props,
  },
  createdAt: AT,
  updatedAt: AT,
  archived: false,
});

export const batchAnswer = (results: unknown[], extra: Record<string, unknown> = {}) => ({ status: 'COMPLETE', results, startedAt: AT, completedAt: AT, ...extra });

export const associationsAnswer = (links: Record<string, string[]>) =>
  batchAnswer(
    Object.entries(links).map(([from, to]) => ({
      from: { id: from },
      to: to.map((t) => ({ toObjectId: Number(t), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 280, label: null }, { category: 'HUBSPOT_DEFINED', typeId: 2, label: 'Primary' }] })),
    })),
  );

export const ownersAnswer = {
  results: [
    { id: '71', email: 'sam.carter@example.com', type: 'PERSON', firstName: 'Sam', lastName: 'Carter', userId: 9001, userIdIncludingInactive: 9001, createdAt: AT, updatedAt: AT, archived: false, teams: [] },
    { id: '72', email: 'ada.lee@example.com', type: 'PERSON', firstName: 'Ada', lastName: 'Lee', userId: 9002, userIdIncludingInactive: 9002, createdAt: AT, updatedAt: AT, archived: false },
  ],
};

export const rateLimitBody = (policyName: 'TEN_SECONDLY_ROLLING' | 'DAILY') => ({
  status: 'error',
  message: policyName === 'DAILY' ? 'You have reached your daily limit.' : 'You have reached your ten_secondly_rolling limit.',
  errorType: 'RATE_LIMIT',
  correlationId: 'c0ffee00-1111-2222-3333-444455556666',
  policyName,
  groupName: 'publicapi:app-id:12345:portal-id:portal-1',
});

export const errorBody = (status: number, category: string, message: string) => ({ status: 'error', message, correlationId: 'aaaa-bbbb', category });

/** nock with no way out but loopback, and a migrated store, for a describe block. */
export function useNockedStore(onOpen: (db: Db) => void): void {
  let db: Db;
  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    db = await openTestDb();
    onOpen(db);
  });
  afterEach(() => nock.cleanAll());
  afterAll(async () => {
    nock.enableNetConnect();
    await db.close();
  });
}
