import { ERROR_STATUS, type ErrorCode } from '../../backend/src/http/errors';

// A stand-in for HubSpot's self.hsFetch (what hubspot.fetch calls in the worker): routes by
// method and path, records every call, and can hold an answer back to show loading. An error
// answer carries the status the backend gives its code (its one table), never one of its own:
// a reply that names a backend code with another status, or a code the backend does not have,
// is refused when the test sets it up.

export interface FetchCall {
  url: string;
  method: string;
  body: unknown;
  timeout: number | undefined;
}

type Reply = { status: number; body: unknown } | { fail: Error } | { hold: true };

const isBackendCode = (code: string): code is ErrorCode => Object.prototype.hasOwnProperty.call(ERROR_STATUS, code);

/** Throws when a reply's error body names a code with a status the backend would not answer. */
export function checkReply(reply: Reply): void {
  if (!('status' in reply)) return;
  const code = (reply.body as { error?: { code?: unknown } } | null)?.error?.code;
  if (typeof code !== 'string') return;
  if (!isBackendCode(code)) throw new Error(`the fixture answers error code ${code}, which the backend does not have`);
  if (ERROR_STATUS[code] !== reply.status) throw new Error(`the fixture answers ${code} with ${reply.status}; the backend answers it with ${ERROR_STATUS[code]}`);
}

/** The reply the backend gives a refusal with this code. */
export const errorReply = (code: ErrorCode, message: string) => ({ status: ERROR_STATUS[code], body: { error: { code, message, requestId: 'req-1' } } });

type Route = { method: string; path: string | RegExp; replies: Reply[] };

export const BASE_URL = 'https://advocacy.example.test';

export function installFetch() {
  const routes: Route[] = [];
  const calls: FetchCall[] = [];
  const hsFetch = async (url: string, options: { method?: string; body?: unknown; timeout?: number } = {}) => {
    const method = options.method ?? 'GET';
    calls.push({ url, method, body: options.body, timeout: options.timeout });
    const path = url.startsWith(BASE_URL) ? url.slice(BASE_URL.length) : url;
    const route = routes.find((r) => r.method === method && (typeof r.path === 'string' ? r.path === path : r.path.test(path)));
    if (!route) throw new Error(`unexpected ${method} ${url}`);
    const reply = route.replies.length > 1 ? route.replies.shift()! : route.replies[0];
    if ('hold' in reply) return new Promise<Response>(() => {});
    if ('fail' in reply) throw reply.fail;
    return new Response(JSON.stringify(reply.body), { status: reply.status, headers: { 'content-type': 'application/json' } });
  };
  (globalThis as unknown as { self: { hsFetch: typeof hsFetch } }).self = { hsFetch };
  const on = (method: string, path: string | RegExp, ...replies: Reply[]) => {
    replies.forEach(checkReply);
    routes.unshift({ method, path, replies });
  };
  return {
    calls,
    /** Replies in order; the last one repeats. */
    on,
    ok: (method: string, path: string | RegExp, body: unknown, status = 200) => on(method, path, { status, body }),
    /** The backend refusing with `code`, at the status its error table gives that code. */
    error: (method: string, path: string | RegExp, code: ErrorCode, message: string) => on(method, path, errorReply(code, message)),
    callsTo: (method: string, pathPart: string) => calls.filter((c) => c.method === method && c.url.includes(pathPart)),
  };
}

export const variables = { ADVOCACY_BACKEND_URL: BASE_URL };

type AnyNode = { nodeType: string; text?: string | null; childNodes?: AnyNode[] };

/** All text under a rendered node (the renderer's `.text` only holds an element's own text). */
export function textOf(node: AnyNode | null | undefined): string {
  if (!node) return '';
  if (node.nodeType === 'text') return node.text ?? '';
  return (node.childNodes ?? []).map((c) => textOf(c)).filter(Boolean).join(' ');
}

/**
 * Waits until `check` passes (re-checking every few ms), then returns; on timeout throws the
 * check's own error. The renderer's waitFor can miss the last update of a batch that a
 * resolved fetch causes, so card tests poll.
 */
export async function eventually(check: () => void, timeoutMs = 2000): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Fires an input's event with a value (the renderer types `trigger`'s argument as the handler itself). */
export function fire(node: object, event: 'onChange' | 'onInput', value: unknown): void {
  (node as { trigger(name: string, arg: unknown): void }).trigger(event, value);
}
