// Runs jobs of one store and key (a portal) one after another in this process; a job asked
// for while one runs starts when it ends, whether it succeeded or failed.
const queues = new WeakMap<object, Map<string, Promise<unknown>>>();

export function oneAtATime<T>(store: object, key: string, run: () => Promise<T>): Promise<T> {
  const byKey = queues.get(store) ?? queues.set(store, new Map()).get(store)!;
  const previous = byKey.get(key) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(run);
  byKey.set(key, next);
  void next.finally(() => byKey.get(key) === next && byKey.delete(key)).catch(() => undefined);
  return next;
}
