import type { AppContext } from './context';

// Replays: a caller that retries (HubSpot retries workflow actions for a long time on 5xx and
// 429) gets the first answer back and nothing runs twice.

export async function once<T>(ctx: AppContext, portalId: string, key: string, run: () => Promise<T>): Promise<{ result: T; replayed: boolean }> {
  const seen = await ctx.store.idempotency.response<T>(portalId, key);
  if (seen) return { result: seen.response, replayed: true };
  const result = await run();
  await ctx.store.idempotency.remember(portalId, key, result);
  // Two callers at once: the first answer stored is the one both return.
  const stored = (await ctx.store.idempotency.response<T>(portalId, key))!;
  return { result: stored.response, replayed: false };
}
