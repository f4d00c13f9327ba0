import { userInfo } from 'node:os';
import { UsageError } from './io';

// Who ran a CLI command, for the audit log: `--actor NAME` when given (a person acting through
// a script), otherwise the operating-system user running it. Run through the service, the
// command runs as the service's user, which is the caller's (the service token is readable by
// that user only).

export function cliActor(flag: string | undefined, osUser: () => string = () => userInfo().username): string {
  if (flag !== undefined) {
    if (!/^[^\s\u0000-\u001f]{1,64}$/.test(flag)) throw new UsageError(`--actor must be 1-64 characters with no spaces, got "${flag}"`);
    return `cli:${flag}`;
  }
  try {
    return `cli:${osUser()}`;
  } catch {
    return `cli:uid-${process.getuid?.() ?? 'unknown'}`; // no passwd entry (some containers)
  }
}
