import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../use-cases/context';
import { actOnNotice } from '../../use-cases/act-on-notice';
import { parseInteraction } from '../../notify/slack/interaction';
import { verifySlackRequest, type SlackReplayGuard } from '../../notify/slack/verify-slack-request';
import { SLACK_BOT_SCOPES, type SlackWorkspace, type SlackWorkspaces } from '../../notify/slack/slack-workspaces';
import type { RequestWithRawBody } from '../body';
import { HttpError } from '../errors';

// What Slack calls: the interactivity request URL (a button or select in one of our messages)
// and the OAuth install. Thin: the signature is checked over the raw bytes before anything is
// parsed (notify/slack/verify-slack-request.ts), the payload through zod, the portal is the one
// the workspace is installed for, and the action is the use case the cards call.

export interface SlackRoutesDeps {
  ctx: AppContext;
  signingSecret: string;
  workspaces: SlackWorkspaces;
  replays: SlackReplayGuard;
  /** The clicking user's email (the directory, else users.info). */
  emailOf(ws: SlackWorkspace, userId: string): Promise<string | null>;
  nowMs?: () => number;
  oauth?: { clientSecret: string; redirectUri: string; clientId: string; consumeState(nonce: string, now: Date): Promise<boolean> };
}

export const SLACK_INTERACTIVITY_PATH = '/slack/interactivity';
export const SLACK_OAUTH_CALLBACK_PATH = '/slack/oauth/callback';
export const SLACK_STATE_COOKIE = 'advocacy_slack_state';
const STATE_MAX_AGE_MS = 10 * 60_000;

const signState = (secret: string, payload: string) => createHmac('sha256', secret).update(`slack-install:${payload}`).digest('base64url');

/** A signed install link's state: good for 10 minutes, names the portal the workspace will serve. */
export function slackInstallState(secret: string, portalId: string, now: Date): string {
  const payload = `${randomBytes(16).toString('base64url')}.${now.getTime()}.${Buffer.from(portalId).toString('base64url')}`;
  return `${payload}.${signState(secret, payload)}`;
}

function readState(secret: string, state: string, now: Date): { nonce: string; portalId: string } | null {
  const parts = state.split('.');
  if (parts.length !== 4) return null;
  const payload = parts.slice(0, 3).join('.');
  const want = Buffer.from(signState(secret, payload));
  const got = Buffer.from(parts[3]);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return null;
  const age = now.getTime() - Number(parts[1]);
  if (!Number.isFinite(age) || age < 0 || age > STATE_MAX_AGE_MS) return null;
  return { nonce: parts[0], portalId: Buffer.from(parts[2], 'base64url').toString('utf8') };
}

const cookieOf = (header: string | undefined, name: string) => {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
};

const stateQuery = z.object({ state: z.string().min(1).max(400) });
const callbackQuery = z.object({ code: z.string().min(1).max(500), state: z.string().min(1).max(400) });

export function slackRoutes(deps: SlackRoutesDeps): Router {
  const r = Router();
  const nowMs = deps.nowMs ?? (() => deps.ctx.now().getTime());

  r.post('/interactivity', async (req, res) => {
    const raw = (req as RequestWithRawBody).rawBody ?? Buffer.alloc(0);
    const verified = await verifySlackRequest({ signature: req.get('x-slack-signature'), timestamp: req.get('x-slack-request-timestamp'), rawBody: raw }, { signingSecret: deps.signingSecret, nowMs: nowMs(), replays: deps.replays });
    if (!verified.ok) throw new HttpError(verified.code, verified.message);
    // Only now is the body read: form-encoded, one `payload` field of JSON.
    const field = new URLSearchParams(raw.toString('utf8')).get('payload');
    if (field === null) throw new HttpError('VALIDATION_FAILED', 'payload: required (Slack sends payload=<JSON>)');
    let payload: unknown;
    try {
      payload = JSON.parse(field);
    } catch {
      throw new HttpError('MALFORMED_JSON', 'payload is not valid JSON');
    }
    const interaction = parseInteraction(payload);
    const ws = await deps.workspaces.byId(interaction.workspaceId);
    if (!ws) throw new HttpError('WORKSPACE_UNKNOWN', `this app is not installed for Slack workspace ${interaction.workspaceId}`);
    if (!interaction.action) {
      res.status(200).end();
      return;
    }
    const email = await deps.emailOf(ws, interaction.userId);
    const actor = { label: `slack-user:${ws.workspaceId}/${interaction.userId}${email ? ` <${email}>` : ''}`, mention: `<@${interaction.userId}>`, email };
    const { ask, showOutcome } = await actOnNotice(deps.ctx, ws.portalId, { noticeKey: interaction.noticeKey!, action: interaction.action, reason: interaction.reason, actor });
    // Acknowledged first (Slack wants an answer within 3 seconds), then the message is updated in
    // place; an update Slack refuses is logged, the action stands.
    res.status(200).json({ ok: true, askId: ask.askId, status: ask.status });
    void showOutcome();
  });

  const oauth = deps.oauth;
  if (oauth) {
    r.get('/oauth/install', (req, res) => {
      const { state } = stateQuery.parse(req.query);
      const read = readState(oauth.clientSecret, state, deps.ctx.now());
      if (!read) throw new HttpError('BAD_STATE', 'the install link is invalid or more than 10 minutes old; make a new one with `advocacy slack install-link`');
      res.cookie(SLACK_STATE_COOKIE, read.nonce, { httpOnly: true, secure: oauth.redirectUri.startsWith('https:'), sameSite: 'lax', path: new URL(oauth.redirectUri).pathname, maxAge: STATE_MAX_AGE_MS });
      const url = new URL('https://slack.com/oauth/v2/authorize');
      url.searchParams.set('client_id', oauth.clientId);
      url.searchParams.set('scope', SLACK_BOT_SCOPES.join(','));
      url.searchParams.set('redirect_uri', oauth.redirectUri);
      url.searchParams.set('state', state);
      res.redirect(302, url.toString());
    });

    r.get('/oauth/callback', async (req, res) => {
      if (typeof req.query.error === 'string') throw new HttpError('INSTALL_DENIED', `Slack did not grant access: ${req.query.error}`);
      const q = callbackQuery.parse(req.query);
      const read = readState(oauth.clientSecret, q.state, deps.ctx.now());
      if (!read) throw new HttpError('BAD_STATE', 'the install link is invalid or more than 10 minutes old; make a new one with `advocacy slack install-link`');
      const cookie = cookieOf(req.get('cookie'), SLACK_STATE_COOKIE);
      if (cookie === null || cookie.length !== read.nonce.length || !timingSafeEqual(Buffer.from(cookie), Buffer.from(read.nonce))) throw new HttpError('STATE_NOT_THIS_BROWSER', 'this install was not started in this browser; open the install link again in the same browser');
      res.clearCookie(SLACK_STATE_COOKIE, { path: new URL(oauth.redirectUri).pathname });
      if (!(await oauth.consumeState(`slack:${read.nonce}`, deps.ctx.now()))) throw new HttpError('STATE_USED', 'this install link was already used; make a new one');
      let installed: Awaited<ReturnType<SlackWorkspaces['install']>>;
      try {
        installed = await deps.workspaces.install(q.code, oauth.redirectUri, read.portalId);
      } catch (error) {
        deps.ctx.logger.warn({ code: (error as { code?: string }).code }, 'slack oauth code exchange failed');
        throw new HttpError('INSTALL_FAILED', `Slack refused the install: ${(error as Error).message}`);
      }
      await deps.ctx.store.audit.append(read.portalId, [{ actor: `slack-user:${installed.workspaceId}/${installed.installedBy ?? 'unknown'}`, action: 'messaging.installed', entityType: 'workspace', entityId: installed.workspaceId, accountId: null, criteriaVersion: null, before: null, after: { tool: 'slack', workspaceId: installed.workspaceId } }], deps.ctx.now().toISOString());
      res.type('text/plain').send(`Advocacy Loop is installed in Slack workspace ${installed.teamName ?? installed.workspaceId} for ${read.portalId}. CSMs will get their notices there.`);
    });
  }
  return r;
}
