import pino from 'pino';
import { createContext, type AppContext } from '../../backend/src/app-context';
import type { CrmPort } from '../../backend/src/crm/port';
import type { Criteria } from '../../backend/src/domain/criteria';
import type { Db } from '../../backend/src/store/db';
import { defaultCriteria, TODAY } from './builders';

/** An app context over a test store with a frozen clock (TODAY at 09:00 UTC unless given). */
export function testContext(db: Db, options: { now?: string; criteria?: Criteria; crmFor?: (portalId: string) => CrmPort } = {}): Promise<AppContext> {
  const fixed = new Date(options.now ?? `${TODAY}T09:00:00.000Z`);
  return createContext({ LOG_LEVEL: 'silent' }, { db, now: () => fixed, criteria: options.criteria ?? defaultCriteria(), logger: pino({ level: 'silent' }), crmFor: options.crmFor });
}
