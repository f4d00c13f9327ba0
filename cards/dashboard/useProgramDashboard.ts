import { callBackend } from '../lib/api';
import type { BackendConfig } from '../lib/config';
import { useRemote } from '../lib/remote';
import type { ProgramDashboardView } from '../lib/types';

/** The program dashboard's data, for all CSMs or one (`ownerId`). */
export function useProgramDashboard(config: BackendConfig, ownerId: string | null) {
  const query = ownerId ? `?months=6&ownerId=${encodeURIComponent(ownerId)}` : '?months=6';
  return useRemote(`${config.baseUrl}|dashboard|${ownerId ?? ''}`, () => callBackend<ProgramDashboardView>(config, `/dashboard${query}`));
}
