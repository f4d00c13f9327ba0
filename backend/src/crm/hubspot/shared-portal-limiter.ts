import Bottleneck from 'bottleneck';
import type { Db } from '../../store/db';
import { finishRateSlot, pausePortalRequests, takeRateSlot } from '../../store/rate-slots';
import type { CallLimiter, RateLimit } from './portal-limiter';

// The portal's budget when several processes share one PostgreSQL server (`serve` and any
// number of `worker`s): each request takes a slot in the store first (store/rate-slots), so the
// sum of all processes stays within HubSpot's rolling limit, and a 429 pauses them all. The
// local Bottleneck only caps this process's concurrency.

export class SharedPortalLimiter implements CallLimiter {
  private readonly bottleneck: Bottleneck;
  private gate: Promise<unknown> = Promise.resolve();
  /** Requests started by this process. */
  started = 0;

  constructor(
    private readonly db: Db,
    private readonly portalId: string,
    readonly rate: RateLimit,
    /** How long a slot of a process that died mid-call stays taken: the call's timeout and a window. */
    private readonly callTimeoutMs: number,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.bottleneck = new Bottleneck({ maxConcurrent: rate.maxConcurrent });
  }

  schedule<T>(run: () => Promise<T>): Promise<T> {
    return this.bottleneck.schedule(async () => {
      const slotId = await this.takeSlot();
      try {
        return await run();
      } finally {
        await finishRateSlot(this.db, slotId, this.windowMs());
      }
    });
  }

  pause(wait: Promise<void>, waitMs: number): void {
    this.gate = Promise.all([this.gate, wait, pausePortalRequests(this.db, this.portalId, waitMs).catch(() => undefined)]);
  }

  private windowMs(): number {
    return Math.ceil(this.rate.windowMs * (1 + this.rate.marginShare));
  }

  private async takeSlot(): Promise<number> {
    for (;;) {
      await this.gate;
      const grant = await takeRateSlot(this.db, this.portalId, this.rate.perWindow, this.callTimeoutMs + this.windowMs());
      if ('slotId' in grant) {
        this.started++;
        return grant.slotId;
      }
      await this.sleep(Math.min(grant.waitMs, this.windowMs()));
    }
  }
}
