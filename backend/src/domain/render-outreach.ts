import Mustache from 'mustache';
import type { AskType } from './types';

// Outreach text comes only from templates the program owner approved. Templates may use a
// small, fixed set of variables so a typo is caught when the criteria load, not in a
// customer's inbox.

export const TEMPLATE_VARIABLES = [
  'contact.firstName',
  'contact.lastName',
  'account.name',
  'csm.name',
  'ask.label',
  'program.name',
] as const;

export const ASK_LABELS: Record<AskType, string> = {
  quote: 'a short quote',
  review: 'a review',
  reference_call: 'a reference call with a prospect',
  logo: 'use of your logo',
  case_study: 'a case study',
  speaking: 'a speaking slot',
  advisory_board: 'a seat on our customer advisory board',
};

type Token = [string, string, ...unknown[]];

function variablesIn(tokens: Token[], out: string[]): string[] {
  for (const token of tokens) {
    const [kind, value] = token;
    if (kind === 'name' || kind === '&') out.push(value);
    else if (kind === '#' || kind === '^') {
      out.push(value);
      variablesIn((token[4] as Token[]) ?? [], out);
    }
  }
  return out;
}

/** Problems with a template's variables; empty when the template may be used. */
export function templateVariableProblems(template: string): string[] {
  let tokens: Token[];
  try {
    tokens = Mustache.parse(template) as Token[];
  } catch (error) {
    return [`template does not parse: ${(error as Error).message}`];
  }
  const allowed = new Set<string>(TEMPLATE_VARIABLES);
  return variablesIn(tokens, [])
    .filter((name) => !allowed.has(name))
    .map((name) => `unknown template variable {{${name}}}; allowed: ${TEMPLATE_VARIABLES.join(', ')}`);
}

export interface OutreachContext {
  contact: { firstName: string | null; lastName: string | null };
  account: { name: string };
  csm: { name: string | null };
  askType: AskType;
  programName: string;
}

/**
 * Renders plain text: no HTML escaping here, because the same text goes to plain-text fields
 * (Salesforce Description, the card) and HTML ones (HubSpot task bodies). Each CRM adapter
 * encodes it for the field it writes (crm/field-encoding.ts).
 */
export function renderOutreach(template: string, ctx: OutreachContext): string {
  const view = {
    contact: { firstName: ctx.contact.firstName ?? 'there', lastName: ctx.contact.lastName ?? '' },
    account: { name: ctx.account.name },
    csm: { name: ctx.csm.name ?? 'your customer success manager' },
    ask: { label: ASK_LABELS[ctx.askType] },
    program: { name: ctx.programName },
  };
  return Mustache.render(template, view, undefined, { escape: (text: string) => text });
}
