import Bottleneck from 'bottleneck';

// One limiter per portal: HubSpot counts requests per app per account over a ROLLING 10 s
// window. Bottleneck's reservoir refreshes on a fixed interval, so a burst at the end of one
// interval plus one at the start of the next would put twice the limit into a rolling window
// and earn 429s. Bottleneck keeps the queue and the concurrency cap; a request holds its slot
// from the moment it starts until one window after its answer came back. HubSpot counts it at
// some moment in between, so however late it arrived there (a slow network, a busy event loop),
// no rolling window at HubSpot ever holds more than the limit; the price is one round trip per
// window. A burst still goes at once after a quiet spell. A 429 pauses the whole portal (every
// queued call), not just the call that got it.

export interface RateLimit {
  /** Requests per window: 190 for Professional/Enterprise, 100 for Free/Starter. */
  perWindow: number;
  windowMs: number;
  /** Requests in flight at once for this portal. */
  maxConcurrent: number;
  /** Kept free for clock jitter between us and HubSpot (share of the window). */
  marginShare: number;
}

/** What a HubSpot call goes through: this process's limiter, or the one shared through Postgres. */
export interface CallLimiter {
  schedule<T>(run: () => Promise<T>): Promise<T>;
  /** After a 429: nobody for this portal sends before `wait` resolves (`waitMs` from now). */
  pause(wait: Promise<void>, waitMs: number): void;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { perWindow: 190, windowMs: 10_000, maxConcurrent: 8, marginShare: 0.01 };

export class PortalLimiter implements CallLimiter {
  private readonly bottleneck: Bottleneck;
  /** Requests holding a slot: in flight (done null) or answered less than a window ago. */
  private readonly slots: Array<{ done: number | null }> = [];
  private gate: Promise<unknown> = Promise.resolve();
  /** Requests started, for the benchmark and the logs. */
  started = 0;

  constructor(
    readonly rate: RateLimit,
    private readonly clock: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.bottleneck = new Bottleneck({ maxConcurrent: rate.maxConcurrent });
  }

  schedule<T>(run: () => Promise<T>): Promise<T> {
    return this.bottleneck.schedule(async () => {
      const slot = await this.waitForSlot();
      try {
        return await run();
      } finally {
        slot.done = this.clock();
      }
    });
  }

  /** After a 429: nobody for this portal sends before `wait` resolves (the call's own sleep, so tests stay fast). */
  pause(wait: Promise<void>): void {
    this.gate = Promise.all([this.gate, wait]);
  }

  private async waitForSlot(): Promise<{ done: number | null }> {
    const window = this.rate.windowMs * (1 + this.rate.marginShare);
    for (;;) {
      await this.gate;
      const now = this.clock();
      for (let i = this.slots.length - 1; i >= 0; i--) {
        const done = this.slots[i].done;
        if (done !== null && now - done >= window) this.slots.splice(i, 1);
      }
      if (this.slots.length < this.rate.perWindow) {
        const slot = { done: null };
        this.slots.push(slot);
        this.started++;
        return slot;
      }
      // Full: the earliest answered slot frees first (at most maxConcurrent are still in flight).
      const frees = Math.min(...this.slots.map((s) => (s.done === null ? Infinity : s.done + window)));
      await this.sleep(Number.isFinite(frees) ? Math.max(1, Math.ceil(frees - now)) : 5);
    }
  }
}

const registry = new Map<string, PortalLimiter>();

/** The process-wide limiter of a portal: every adapter instance for it shares the budget. */
export function limiterForPortal(portalId: string, rate: RateLimit = DEFAULT_RATE_LIMIT): PortalLimiter {
  let limiter = registry.get(portalId);
  if (!limiter || limiter.rate.perWindow !== rate.perWindow || limiter.rate.windowMs !== rate.windowMs) {
    limiter = new PortalLimiter(rate);
    registry.set(portalId, limiter);
  }
  return limiter;
}
