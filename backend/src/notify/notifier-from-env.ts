import type { Env } from '../config/env';
import type { Queryable } from '../store/db';
import { AuditLogNotifier } from './audit-log-notifier';
import type { Notifier } from './port';

/** Each portal's notifier from the configuration: the audit log until a messaging tool is configured. */
export function notifierFactory(_env: Env, _db: Queryable): (portalId: string) => Promise<Notifier> {
  const local = new AuditLogNotifier();
  return async () => local;
}
