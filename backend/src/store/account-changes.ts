// "An account's asks, consents or signals changed": the store announces the first two after a
// commit, the apply path the third. Listeners (the reference index) are awaited, so by the time
// a caller's answer goes out the index has what the caller just wrote.

export type AccountsChangedListener = (portalId: string, accountIds: string[]) => Promise<void>;

export class AccountChanges {
  private readonly listeners: AccountsChangedListener[] = [];

  listen(listener: AccountsChangedListener): void {
    this.listeners.push(listener);
  }

  async accountsChanged(portalId: string, accountIds: string[]): Promise<void> {
    const ids = [...new Set(accountIds)];
    if (ids.length === 0) return;
    for (const listener of this.listeners) await listener(portalId, ids);
  }
}
