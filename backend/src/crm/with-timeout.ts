// A deadline on a call whose client takes no AbortSignal (the HubSpot SDK, jsforce): the late
// answer is dropped and the caller moves on with the error the adapter maps.
export function withTimeout<T>(run: () => Promise<T>, ms: number, onTimeout: (message: string) => Error): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    run(),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(onTimeout(`no answer in ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
