// What a CRM tells an app about its own installs, in the app's words: a portal installed or
// uninstalled it, at a time. HubSpot reports these in its webhooks journal (hubspot/app-journal.ts);
// use cases read it through this port and never see the vendor's API.

export interface AppLifecycleEvent {
  /** Stable across reads of the same entry: the event is acted on once. */
  key: string;
  portalId: string;
  action: 'APP_INSTALL' | 'APP_UNINSTALL';
  occurredAt: string;
}

export interface AppLifecycleEntry {
  /** Where the next read starts after this entry is handled. */
  offset: string;
  events: AppLifecycleEvent[];
}

export interface AppLifecycleSource {
  /** The app the journal belongs to (one position per app, across all installs). */
  readonly appId: string;
  /** Makes sure each portal's uninstalls reach the journal (idempotent). */
  ensureSubscribed(portalIds: string[]): Promise<{ created: string[] }>;
  /**
   * The entry after `offset` (the earliest kept when null), or null when there is none yet.
   * An offset the CRM no longer keeps fails with CRM_NOT_FOUND.
   */
  next(offset: string | null): Promise<AppLifecycleEntry | null>;
}
