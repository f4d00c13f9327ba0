import Bottleneck from 'bottleneck';

// One limiter per portal: HubSpot counts requests per app per account over a ROLLING 10 s
// window. Bottleneck's reservoir refreshes on a fixed interval, so a burst at the end of one
// interval plus one at the start of the next would put twice the limit into a rolling window
// and earn 429s. Bottleneck keeps the queue and the concurrency cap; the start times of the last
// `perWindow` requests decide when the next may go, which never exceeds the limit in any
// rolling window and still lets a burst through after a quiet spell. A 429 pauses the whole
// portal (every queued call), not just the call that got it.

export interface RateLimit {
  /** Requests per window: 190 for Professional/Enterprise, 100 for Free/Starter. */
  perWindow: number;
  windowMs: number;
  /** Requests in flight at once for this portal. */
  maxConcurrent: number;
  /** Kept free for clock jitter between us and HubSpot (share of the window). */
  marginShare: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { perWindow: 190, windowMs: 10_000, maxConcurrent: 8, marginShare: 0.02 };

export class PortalLimiter {
  private readonly bottleneck: Bottleneck;
  private readonly starts: number[] = [];
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
      await this.waitForSlot();
      return run();
    });
  }

  /** After a 429: nobody for this portal sends before `wait` resolves (the call's own sleep, so tests stay fast). */
  pause(wait: Promise<void>): void {
    this.gate = Promise.all([this.gate, wait]);
  }

  private async waitForSlot(): Promise<void> {
    const window = this.rate.windowMs * (1 + this.rate.marginShare);
    for (;;) {
      await this.gate;
      const now = this.clock();
      while (this.starts.length && now - this.starts[0] >= window) this.starts.shift();
      if (this.starts.length < this.rate.perWindow) {
        this.starts.push(now);
        this.started++;
        return;
      }
      await this.sleep(Math.max(1, Math.ceil(this.starts[0] + window - now)));
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
