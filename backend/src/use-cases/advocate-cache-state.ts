import type { Advocate, AdvocateIndex } from '../domain/reference-match';

// What the reference index keeps per portal (see advocate-cache.ts), in an object the
// composition root makes once per process.

export interface Built {
  key: string;
  byAccount: Map<string, Advocate[]>;
  index: AdvocateIndex;
}

export interface Entry {
  value: Built | null;
  building: Promise<Built> | null;
  /** Accounts changed while a full read ran: read again once it lands. */
  dirty: Set<string>;
  /** The stored index being loaded (the first match of a process); true when its full read is from today. */
  loading?: Promise<boolean> | null;
}

/** The index of each portal, held by the object the composition root makes for its process. */
export class AdvocateCache {
  private readonly byPortal = new Map<string, Entry>();

  entry(portalId: string, create: true): Entry;
  entry(portalId: string, create: false): Entry | undefined;
  entry(portalId: string, create: boolean): Entry | undefined {
    let entry = this.byPortal.get(portalId);
    if (!entry && create) this.byPortal.set(portalId, (entry = { value: null, building: null, dirty: new Set() }));
    return entry;
  }
}

