// Where each row of an import file starts, as the line number an editor or a spreadsheet shows
// (the first line is 1), so a problem points at the place to fix.

/**
 * Lines of the rows of a JSON import: the elements of the top-level array (key null), or of
 * each top-level section's array (key = the section). A small scanner over the text, since
 * JSON.parse keeps no positions.
 */
export function jsonRowLines(text: string): Map<string | null, number[]> {
  const out = new Map<string | null, number[]>();
  type Frame = { kind: 'array' | 'object'; rowsOf: string | null | undefined; expectValue: boolean };
  const stack: Frame[] = [];
  let line = 1;
  let inString = false;
  let escaped = false;
  let stringStart = 0;
  let lastRootKey: string | null = null;

  const rowStart = () => {
    const top = stack[stack.length - 1];
    if (top && top.kind === 'array' && top.rowsOf !== undefined && top.expectValue) {
      const lines = out.get(top.rowsOf) ?? [];
      lines.push(line);
      out.set(top.rowsOf, lines);
    }
    if (top && top.kind === 'array') top.expectValue = false;
  };

  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') line++;
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') {
        inString = false;
        // A key of the root object: remember it for the array that follows.
        if (stack.length === 1 && stack[0].kind === 'object') {
          try {
            lastRootKey = JSON.parse(text.slice(stringStart, i + 1)) as string;
          } catch {
            lastRootKey = null;
          }
        }
      }
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') continue;
    if (ch === ',') {
      const top = stack[stack.length - 1];
      if (top?.kind === 'array') top.expectValue = true;
      continue;
    }
    if (ch === ']' || ch === '}') {
      stack.pop();
      continue;
    }
    if (ch === ':') continue;
    rowStart();
    if (ch === '"') {
      inString = true;
      stringStart = i;
    } else if (ch === '[') {
      // Root array: its elements are rows. An array that is a root object's value: a section.
      const rowsOf = stack.length === 0 ? null : stack.length === 1 && stack[0].kind === 'object' ? lastRootKey : undefined;
      stack.push({ kind: 'array', rowsOf: rowsOf === null && stack.length > 0 ? undefined : rowsOf, expectValue: true });
    } else if (ch === '{') {
      stack.push({ kind: 'object', rowsOf: undefined, expectValue: false });
    }
  }
  return out;
}
