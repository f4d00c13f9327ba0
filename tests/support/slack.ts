import nock from 'nock';
import pino from 'pino';
import { createContext, type ServiceContext } from '../../backend/src/app-context';
import type { CrmPort } from '../../backend/src/crm/port';
import { createApp } from '../../backend/src/http/create-app';
import { slackRouters } from '../../backend/src/cli/commands/serve';
import { slackSignature } from '../../backend/src/notify/slack/verify-slack-request';
import type { Db } from '../../backend/src/store/db';
import { defaultCriteria, TODAY } from './builders';

// Slack as the tests see it: a service context configured for one workspace (bot token, team,
// signing secret), nock for Slack's Web API, and interactive requests signed the way Slack
// signs them (v0 over the raw body, with the request timestamp).

export const SLACK = 'https://slack.com';
export const SIGNING_SECRET = 'a'.repeat(8) + '0123456789abcdef0123456789abcdef'.slice(8);
export const TEAM = 'T0ACME';
export const BOT_TOKEN = 'xoxb-1111-2222-slacktesttoken';
export const NOW = new Date(`${TODAY}T09:00:00.000Z`);

export const form = (body: unknown): Record<string, string> => (typeof body === 'string' ? Object.fromEntries(new URLSearchParams(body)) : (body as Record<string, string>));

export async function slackContext(db: Db, options: { crmFor?: (portalId: string) => CrmPort; notifications?: string; env?: Record<string, string> } = {}): Promise<ServiceContext> {
  return createContext(
    { LOG_LEVEL: 'silent', SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_TEAM_ID: TEAM, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_RETRIES: '0', SLACK_PROGRAM_CHANNEL: 'C0PROGRAM', ...(options.notifications ? { NOTIFICATIONS_FILE: options.notifications } : {}), ...options.env },
    { db, now: () => NOW, criteria: defaultCriteria(), logger: pino({ level: 'silent' }), crmFor: options.crmFor },
  );
}

export const slackApp = (ctx: ServiceContext) => createApp({ ctx, extraRouters: slackRouters(ctx) });

export function blockAction(input: { team?: string; user: string; actionId: string; value?: string; option?: string }) {
  const action: Record<string, unknown> = { action_id: input.actionId, block_id: 'advocacy.actions', type: input.option ? 'static_select' : 'button', action_ts: '1732438800.1' };
  if (input.value) action.value = input.value;
  if (input.option) action.selected_option = { value: input.option, text: { type: 'plain_text', text: 'reason' } };
  const payload = { type: 'block_actions', team: { id: input.team ?? TEAM, domain: 'acme' }, user: { id: input.user, team_id: input.team ?? TEAM }, api_app_id: 'A0APP', actions: [action], container: { type: 'message' } };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

export function signed(body: string, options: { secret?: string; at?: Date } = {}) {
  const timestamp = String(Math.floor((options.at ?? NOW).getTime() / 1000));
  return { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': timestamp, 'x-slack-signature': slackSignature(options.secret ?? SIGNING_SECRET, timestamp, body) };
}

export function useNock() {
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());
}

/** Waits (a bounded number of turns) for something done after the answer, e.g. the message update. */
export async function eventually(check: () => boolean, turns = 500): Promise<boolean> {
  for (let i = 0; i < turns && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  return check();
}
