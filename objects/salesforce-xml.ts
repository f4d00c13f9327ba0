// The one way the Salesforce generators write Metadata API XML: nested [tag, value] pairs
// rendered with Salesforce's own indentation (four spaces), values escaped.

export const SF_NS = 'http://soap.sforce.com/2006/04/metadata';

export type Node = [string, string | Node[]];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function render(nodes: Node[], depth: number): string {
  const pad = '    '.repeat(depth);
  return nodes
    .map(([tag, value]) => (typeof value === 'string' ? `${pad}<${tag}>${esc(value)}</${tag}>` : `${pad}<${tag}>\n${render(value, depth + 1)}\n${pad}</${tag}>`))
    .join('\n');
}

export const doc = (root: string, nodes: Node[]) => `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${SF_NS}">\n${render(nodes, 1)}\n</${root}>\n`;

/** A Flow value element: <value><stringValue>..</stringValue></value> and its kin. */
export const flowValue = (kind: 'stringValue' | 'booleanValue' | 'elementReference' | 'numberValue', v: string): Node => ['value', [[kind, v]]];
