// Plain-text tables for the terminal. No colour codes, so output pipes cleanly.

/** Terminals are read at 100 columns: wider tables shorten their widest cells (… marks the cut). */
export const TABLE_WIDTH = 100;
const MIN_COLUMN = 8;

export function table(headers: string[], rows: Array<Array<string | number | null>>, maxWidth = TABLE_WIDTH): string {
  let cells = rows.map((r) => r.map((c) => (c === null || c === undefined ? '-' : String(c).replace(/\s+/g, ' '))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const total = () => widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
  while (total() > maxWidth) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest] <= Math.max(MIN_COLUMN, headers[widest].length)) break; // nothing left to shorten
    widths[widest] = Math.max(MIN_COLUMN, headers[widest].length, widths[widest] - (total() - maxWidth));
  }
  cells = cells.map((r) => r.map((c, i) => (c.length > widths[i] ? `${c.slice(0, widths[i] - 1)}…` : c)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n') + '\n';
}

/** An id with its name beside it ("acc-000002 Acme Analytics"); the id first, so a cut cell keeps it. */
export const labelled = (id: string | null, name: string | null | undefined) => (id === null ? null : name ? `${id} ${name}` : id);

/** "(first 25 of 67; `hint` lists all)" when a list was cut, else "". */
export const firstOf = (shown: number, total: number, hint: string) => (total > shown ? ` (first ${shown} of ${total}; ${hint} lists all)` : '');

export const pct = (rate: number | null) => (rate === null ? '-' : `${Math.round(rate * 1000) / 10}%`);
