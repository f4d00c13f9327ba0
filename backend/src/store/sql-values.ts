// Builds "($1,$2),($3,$4)" for a multi-row INSERT, so a page of rows is one statement.
export function valuesList(rowCount: number, columnCount: number, casts: string[] = []): string {
  const rows: string[] = [];
  for (let r = 0; r < rowCount; r++) {
    const cols: string[] = [];
    for (let c = 0; c < columnCount; c++) cols.push(`$${r * columnCount + c + 1}${casts[c] ?? ''}`);
    rows.push(`(${cols.join(',')})`);
  }
  return rows.join(',');
}

/** Splits rows into chunks that stay under Postgres' 65,535 bind-parameter limit. */
export function chunksFor<T>(rows: T[], columnCount: number): T[][] {
  const size = Math.max(1, Math.floor(60_000 / columnCount));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
