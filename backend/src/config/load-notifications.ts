import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNotificationConfig, type NotificationConfig } from '../domain/notification-policy';
import { ConfigError } from './env';
import { packageRoot } from './package-root';

export const DEFAULT_NOTIFICATIONS_FILE = join(packageRoot(), 'backend/config/notifications.default.json');

/** Reads and validates the program's notification rules (NOTIFICATIONS_FILE); a bad file lists every problem. */
export function loadNotificationConfig(file: string = DEFAULT_NOTIFICATIONS_FILE): NotificationConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`notifications file ${file}`, [{ path: '', message: (error as Error).message }]);
  }
  const parsed = parseNotificationConfig(raw);
  if (!parsed.ok) throw new ConfigError(`notifications file ${file}`, parsed.problems);
  return parsed.config;
}
