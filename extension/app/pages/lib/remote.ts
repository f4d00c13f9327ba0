import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from './api';

// The data state every card hook returns: loading, the data, or a plain error message.

export type Remote<T> = { status: 'loading' } | { status: 'success'; data: T } | { status: 'error'; message: string };

export interface RemoteHook<T> {
  state: Remote<T>;
  /** Loads again (the Retry button, or after a change). Keeps showing the data while it loads. */
  reload: () => void;
}

/**
 * A ref that always holds the latest `value`, for callbacks that must not change identity.
 * It is written in an effect, not during render (React's rules: a render must stay pure), and
 * effects run in order, so one declared before the effect that reads it is current there, as
 * it is in any event handler.
 */
function useLatest<V>(value: V) {
  const ref = useRef(value);
  useEffect(() => {
    ref.current = value;
  });
  return ref;
}

/** Runs `load` on mount and whenever `key` changes; ignores answers of superseded loads. */
export function useRemote<T>(key: string, load: () => Promise<T>): RemoteHook<T> {
  const [state, setState] = useState<Remote<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const loadRef = useLatest(load);
  const loadedKey = useRef<string | null>(null);

  useEffect(() => {
    let current = true;
    // A reload of the same record keeps its data on screen; another record starts over.
    const sameRecord = loadedKey.current === key;
    setState((s) => (s.status === 'success' && sameRecord ? s : { status: 'loading' }));
    loadedKey.current = key;
    loadRef.current().then(
      (data) => current && setState({ status: 'success', data }),
      (error: unknown) => current && setState({ status: 'error', message: errorMessage(error) }),
    );
    return () => {
      current = false;
    };
  }, [key, attempt, loadRef]); // loadRef is the same object on every render

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { state, reload };
}

/** The state of one user action (a button that calls the backend). */
export type Action<T> = { status: 'idle' } | { status: 'running' } | { status: 'done'; data: T } | { status: 'failed'; message: string };

export function useAction<A extends unknown[], T>(run: (...args: A) => Promise<T>, onDone?: (data: T) => void) {
  const [state, setState] = useState<Action<T>>({ status: 'idle' });
  const runRef = useLatest(run);
  const doneRef = useLatest(onDone);
  const start = useCallback(async (...args: A) => {
    setState({ status: 'running' });
    try {
      const data = await runRef.current(...args);
      setState({ status: 'done', data });
      doneRef.current?.(data);
    } catch (error) {
      setState({ status: 'failed', message: errorMessage(error) });
    }
  }, [runRef, doneRef]); // the same objects on every render: start keeps its identity
  const reset = useCallback(() => setState({ status: 'idle' }), []);
  return { state, start, reset };
}
