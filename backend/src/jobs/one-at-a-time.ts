// Runs jobs of one key (a portal's relay, drain, index update) one after another in this
// process; a job asked for while one runs starts when it ends, whether it succeeded or failed.
// The composition root makes one per process, so every caller shares it.
export class OneAtATime {
  private readonly queues = new Map<string, Promise<unknown>>();

  run<T>(key: string, job: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(job);
    this.queues.set(key, next);
    void next.finally(() => this.queues.get(key) === next && this.queues.delete(key)).catch(() => undefined);
    return next;
  }
}
