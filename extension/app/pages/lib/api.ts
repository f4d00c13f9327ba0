import { hubspot } from '@hubspot/ui-extensions';
import { FETCH_TIMEOUT_MS, HUBSPOT_API_PREFIX, type BackendConfig } from './config';

// One way to call the backend: hubspot.fetch (HubSpot signs the request and appends the
// portal and user), an explicit timeout, JSON in and out, and the backend's error message
// turned into a sentence a user can read.

export class BackendError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly code: string | null,
  ) {
    super(message);
    this.name = 'BackendError';
  }
}

export interface CallOptions {
  method?: 'GET' | 'POST';
  body?: Record<string, unknown>;
  timeoutMs?: number;
}

const STATUS_MESSAGES: Record<number, string> = {
  401: 'HubSpot could not prove this request to the Advocacy Loop service. Reload the page and try again.',
  404: 'The Advocacy Loop service does not know this record.',
  429: 'The Advocacy Loop service is busy. Try again in a minute.',
};

function messageOf(status: number, body: unknown): { message: string; code: string | null } {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const code = typeof error?.code === 'string' ? error.code : null;
  if (typeof error?.message === 'string' && error.message && status < 500) return { message: error.message, code };
  if (STATUS_MESSAGES[status]) return { message: STATUS_MESSAGES[status], code };
  if (status >= 500) return { message: 'The Advocacy Loop service had a problem. Try again in a minute.', code };
  return { message: `The Advocacy Loop service answered ${status}.`, code };
}

export async function callBackend<T>(config: BackendConfig, path: string, options: CallOptions = {}): Promise<T> {
  const { method = 'GET', body, timeoutMs = FETCH_TIMEOUT_MS } = options;
  let response: Response;
  try {
    response = await hubspot.fetch(`${config.baseUrl}${HUBSPOT_API_PREFIX}${path}`, { method, timeout: timeoutMs, ...(body ? { body } : {}) });
  } catch (error) {
    const timedOut = error instanceof Error && /time ?out|timed out|abort/i.test(`${error.name} ${error.message}`);
    throw new BackendError(timedOut ? 'The Advocacy Loop service did not answer in time.' : 'Could not reach the Advocacy Loop service.', null, timedOut ? 'TIMEOUT' : 'NETWORK');
  }
  let parsed: unknown = null;
  try {
    parsed = await response.json();
  } catch {
    parsed = null;
  }
  if (!response.ok) {
    const { message, code } = messageOf(response.status, parsed);
    throw new BackendError(message, response.status, code);
  }
  if (parsed === null) throw new BackendError('The Advocacy Loop service sent an answer the card cannot read.', response.status, 'BAD_RESPONSE');
  return parsed as T;
}

export const errorMessage = (error: unknown) => (error instanceof Error ? error.message : 'Something went wrong.');
