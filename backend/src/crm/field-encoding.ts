// Text from the customer's data (account and contact names, notes, evidence) is encoded for the
// CRM field it lands in, at the adapter edge: the domain renders plain text, and only the
// adapter knows whether the field is HTML (HubSpot task and note bodies) or plain text
// (HubSpot subjects and textareas, Salesforce Subject and Description).

// C0 controls except tab and newline, DEL, and UTF-16 halves without their partner: none has a
// place in a CRM field, and a lone surrogate is not even valid UTF-8 on the wire.
const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Plain-text field: controls removed, line endings normalized, cut to `max` characters. */
export function plainText(text: string, max?: number): string {
  const clean = text.replace(/\r\n?/g, '\n').replace(UNSAFE, '');
  return max === undefined ? clean : clean.slice(0, max);
}

/** Plain-text single-line field (a subject): newlines become spaces. */
export function plainLine(text: string, max?: number): string {
  return plainText(text.replace(/\s*[\r\n]+\s*/g, ' '), max);
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text escaped for an HTML element's content or a quoted attribute; newlines are kept as text. */
export function escapeHtml(text: string): string {
  return plainText(text).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}

/** Plain text shown as HTML (a HubSpot task body): every character escaped, lines kept as lines. */
export function htmlFromText(text: string): string {
  return escapeHtml(text).split('\n').join('<br>');
}
