import { z } from 'zod';

// List routes answer a page: `limit` items (default 200, at most 1000), the `total` that match,
// and `nextCursor` to pass back as `cursor` for the next page (null on the last one). The
// cursor is opaque to the caller: the position after the page's last item.

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  cursor: z.string().max(200).optional(),
};

export function encodeCursor(after: string | number): string {
  return Buffer.from(JSON.stringify({ after }), 'utf8').toString('base64url');
}

/** The position a cursor names; a cursor this API did not hand out is a 400. */
export function decodeCursor<T extends 'string' | 'number'>(cursor: string | undefined, kind: T): (T extends 'string' ? string : number) | undefined {
  if (cursor === undefined) return undefined;
  let after: unknown;
  try {
    after = (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown }).after;
  } catch {
    after = undefined;
  }
  if (typeof after !== kind) {
    throw new z.ZodError([{ code: 'custom', path: ['cursor'], message: 'is not a cursor from this list (pass back nextCursor as it came)', input: cursor }]);
  }
  return after as T extends 'string' ? string : number;
}

/** Fetch limit + 1 to know whether another page follows; returns the page and its nextCursor. */
export function pageOf<T>(rows: T[], limit: number, positionOf: (item: T) => string | number): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodeCursor(positionOf(items[items.length - 1])) : null };
}
