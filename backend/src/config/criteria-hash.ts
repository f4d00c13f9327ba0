import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Criteria } from '../domain/criteria';

/**
 * The criteria's content, as a short stable fingerprint: SHA-256 over the canonical JSON of
 * what the file says (after validation), so a change to any rule changes it and reformatting
 * the file does not. Recorded beside the version on every scan and evaluation.
 */
export function criteriaContentHash(criteria: Criteria): string {
  return `sha256:${createHash('sha256').update(canonicalize(criteria) ?? '').digest('hex').slice(0, 16)}`;
}
