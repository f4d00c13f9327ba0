import type { ChatPostMessageArguments, WebClient } from '@slack/web-api';
import type { Notice } from '../../domain/notices';
import type { MessagingStateStore } from '../../store/store-port';
import { NotifyError, type Delivery, type NoticeLinks, type NoticeOutcome, type Notifier } from '../port';
import { fallbackText, noticeBlocks, outcomeBlocks } from './blocks';
import { callSlack, platformError, toNotifyError } from './slack-client';

// The Slack adapter of the notifier port. A notice goes to its CSM as a direct message from the
// bot: the CSM's Slack user is found by their CRM owner email (users.lookupByEmail, kept in the
// store and asked again after a day), and a CSM Slack does not know goes to the program channel.
// After an action the message is replaced in place (chat.update) with what was done.

// blocks.ts builds plain JSON in Block Kit's shape; the SDK's block union is stricter than JSON can say.
type SlackBlocks = Extract<ChatPostMessageArguments, { blocks: unknown }>['blocks'];

export const DIRECTORY_TTL_MS = 24 * 3600 * 1000;

export interface SlackNotifierDeps {
  client: WebClient;
  workspaceId: string;
  portalId: string;
  directory: MessagingStateStore;
  /** Where notices go for a CSM with no Slack user (a channel id, e.g. C0123...). */
  programChannel: string | null;
  now: () => Date;
  /** Waits (ms) before a post to a channel posted to less than a second ago; tests record it instead. */
  pause?: (ms: number) => Promise<void>;
}

/** chat.postMessage allows about one message per second per channel (a burst to the program channel, a digest run). */
export const CHANNEL_SPACING_MS = 1000;

export class SlackNotifier implements Notifier {
  readonly via = 'slack';
  /** When this notifier last posted to each channel (real time: pacing is about Slack's clock, not the domain's). */
  private readonly lastPost = new Map<string, number>();
  constructor(private readonly deps: SlackNotifierDeps) {}

  private async paced(channel: string): Promise<void> {
    const last = this.lastPost.get(channel);
    const wait = last === undefined ? 0 : last + CHANNEL_SPACING_MS - Date.now();
    if (wait > 0) await (this.deps.pause ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms))))(wait);
    this.lastPost.set(channel, Date.now());
  }

  /** The CSM's Slack user id, from the store's directory or Slack (null: Slack has nobody with that email). */
  async userFor(email: string): Promise<string | null> {
    const { directory, portalId, workspaceId, client, now } = this.deps;
    const cached = await directory.cachedUser(portalId, workspaceId, email);
    if (cached && now().getTime() - Date.parse(cached.lookedUpAt) < DIRECTORY_TTL_MS) return cached.userId;
    let userId: string | null;
    try {
      const res = await client.users.lookupByEmail({ email });
      userId = res.user?.id ?? null;
    } catch (error) {
      if (platformError(error) !== 'users_not_found') throw toNotifyError('users.lookupByEmail', error);
      userId = null;
    }
    await directory.rememberUser(portalId, workspaceId, email, userId, now().toISOString());
    return userId;
  }

  private async channelFor(notice: Notice): Promise<string> {
    const email = notice.recipient.email;
    const user = email ? await this.userFor(email) : null;
    if (user) return user;
    if (this.deps.programChannel) return this.deps.programChannel;
    throw new NotifyError('NOTIFY_REFUSED', `no Slack user has the CRM email of owner ${notice.recipient.ownerId} and no SLACK_PROGRAM_CHANNEL is set`);
  }

  async deliver(notice: Notice, links: NoticeLinks): Promise<Delivery> {
    const channel = await this.channelFor(notice);
    await this.paced(channel);
    const res = await callSlack('chat.postMessage', () => this.deps.client.chat.postMessage({ channel, text: fallbackText(notice), blocks: noticeBlocks(notice, links) as unknown as SlackBlocks, unfurl_links: false, unfurl_media: false }));
    return { via: this.via, to: res.channel ?? channel, ref: res.ts ?? null };
  }

  async update(delivery: Delivery, notice: Notice, links: NoticeLinks, outcome: NoticeOutcome): Promise<void> {
    if (!delivery.to || !delivery.ref) return;
    await callSlack('chat.update', () => this.deps.client.chat.update({ channel: delivery.to!, ts: delivery.ref!, text: `${fallbackText(notice)}: ${outcome.text}`, blocks: outcomeBlocks(notice, links, outcome) as unknown as SlackBlocks }));
  }
}
