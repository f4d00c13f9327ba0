import { PortalLimiter } from '../../../backend/src/crm/hubspot/portal-limiter';

// A fake clock that sleeping advances: deterministic, no real waiting.
function fakeTime() {
  let now = 0;
  return { clock: () => now, sleep: async (ms: number) => void (now += ms) };
}

describe('portal rate limiter (rolling window)', () => {
  it('when more calls are queued than the window allows, then no rolling window ever holds more than the limit and the burst goes at once', async () => {
    const t = fakeTime();
    const limiter = new PortalLimiter({ perWindow: 3, windowMs: 1000, maxConcurrent: 1, marginShare: 0 }, t.clock, t.sleep);
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 7 }, () => limiter.schedule(async () => void starts.push(t.clock()))));
    expect(starts).toEqual([0, 0, 0, 1000, 1000, 1000, 2000]);
    for (const s of starts) expect(starts.filter((x) => x > s - 1000 && x <= s).length).toBeLessThanOrEqual(3);
    expect(limiter.started).toBe(7);
  });

  it('when an answer comes back late, then its slot stays taken until a window after the answer (HubSpot may have counted it late)', async () => {
    const t = fakeTime();
    const limiter = new PortalLimiter({ perWindow: 1, windowMs: 1000, maxConcurrent: 1, marginShare: 0 }, t.clock, t.sleep);
    const starts: number[] = [];
    await Promise.all([
      limiter.schedule(async () => {
        starts.push(t.clock());
        await t.sleep(500);
      }),
      limiter.schedule(async () => void starts.push(t.clock())),
    ]);
    expect(starts).toEqual([0, 1500]);
  });

  it('when a 429 pauses the portal, then no call of that portal starts before the pause ends', async () => {
    const limiter = new PortalLimiter({ perWindow: 100, windowMs: 1000, maxConcurrent: 4, marginShare: 0 });
    let release!: () => void;
    limiter.pause(new Promise<void>((resolve) => (release = resolve)));
    const events: string[] = [];
    const queued = Promise.all([1, 2].map((k) => limiter.schedule(async () => void events.push(`call ${k}`))));
    await new Promise((r) => setImmediate(r));
    events.push('released');
    release();
    await queued;
    expect(events).toEqual(['released', 'call 1', 'call 2']);
  });
});
