import type { Logger } from 'pino';
import type { Env } from '../config/env';
import type { CrmPort } from '../crm/port';
import type { Criteria } from '../domain/criteria';
import type { OneAtATime } from '../jobs/one-at-a-time';
import type { Store } from '../store/store-port';
import type { AdvocateCache } from './advocate-cache-state';
import type { NotificationConfig } from '../domain/notification-policy';
import type { Notifier } from '../notify/port';

// What a use case (and a route, and a job) is handed: the store port, the CRM of a portal,
// the criteria, a clock, a logger, and the process's own state (the reference index, the
// per-portal serializer). app-context.ts, the composition root, builds it; nothing here
// knows which CRM or database it runs on.

export interface AppContext {
  /** True when this context opened the store from DATA_DIR itself (the embedded default), not one handed in. */
  storeFromDataDir?: boolean;
  env: Env;
  /** Everything the application keeps (backend/src/store/store-port.ts). */
  store: Store;
  criteria: Criteria;
  /** The portal the CLI and the local API act on ('local' for the embedded default). */
  defaultPortalId: string;
  crmFor(portalId: string): CrmPort;
  now(): Date;
  logger: Logger;
  /** Relays, change-event drains and reference-index updates of one portal run one after another. */
  serial: OneAtATime;
  /** The reference index of each portal (use-cases/advocate-cache.ts). */
  advocates: AdvocateCache;
  /** Who hears what (the program's rules) and the notifier of each portal; without it, the audit log and the default rules. */
  notifications?: { config: NotificationConfig; notifierFor(portalId: string): Promise<Notifier> };
  close(): Promise<void>;
}
