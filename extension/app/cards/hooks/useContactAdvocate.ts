import { callBackend } from '../lib/api';
import type { BackendConfig } from '../lib/config';
import { useRemote } from '../lib/remote';
import type { ContactAdvocateView } from '../lib/types';

export function useContactAdvocate(config: BackendConfig, contactId: string) {
  return useRemote(`${config.baseUrl}|${contactId}`, () => callBackend<ContactAdvocateView>(config, `/contacts/${encodeURIComponent(contactId)}/advocate`));
}
