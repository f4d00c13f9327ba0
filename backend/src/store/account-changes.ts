// "An account's asks, consents or signals changed": the store announces the first two after a
// commit, the apply path the third. Listeners (the reference index) are awaited, so by the time
// a caller's answer goes out the index has what the caller just wrote.

//
// Before a transaction commits, its own listeners (the stored reference index) are handed the
// transaction and the accounts it touched, so what they write commits or rolls back with it.

/** `reread`: the CRM's signals changed and nobody has read them yet (else the store holds what changed). */
export type AccountsChangedListener = (portalId: string, accountIds: string[], how: { reread: boolean }) => Promise<void>;
/** `Tx` is the store's transaction (StoreTx; generic so this file needs no import of the port). */
export type InTransactionListener<Tx> = (tx: Tx, portalId: string, accountIds: string[]) => Promise<void>;

export class AccountChanges<Tx = unknown> {
  private readonly listeners: AccountsChangedListener[] = [];
  private readonly inTransaction: InTransactionListener<Tx>[] = [];

  listen(listener: AccountsChangedListener): void {
    this.listeners.push(listener);
  }

  /** Called inside each transaction, before it commits, with the accounts it touched. */
  listenInTransaction(listener: InTransactionListener<Tx>): void {
    this.inTransaction.push(listener);
  }

  async beforeCommit(tx: Tx, portalId: string, accountIds: string[]): Promise<void> {
    const ids = [...new Set(accountIds)];
    if (ids.length === 0) return;
    for (const listener of this.inTransaction) await listener(tx, portalId, ids);
  }

  async accountsChanged(portalId: string, accountIds: string[], how = { reread: false }): Promise<void> {
    const ids = [...new Set(accountIds)];
    if (ids.length === 0) return;
    for (const listener of this.listeners) await listener(portalId, ids, how);
  }
}
