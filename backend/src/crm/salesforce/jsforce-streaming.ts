import type { Connection } from 'jsforce';
import { StreamingExtension } from 'jsforce/lib/api/streaming';
import type { AccountChangeEvent, Subscribe } from './change-events';

// jsforce's CometD client with the Replay extension: resume from a stored replay id.
export function jsforceSubscribe(conn: Connection): Subscribe {
  return (channel, fromReplayId, onMessage) => {
    const replay = new StreamingExtension.Replay(channel, fromReplayId);
    const client = conn.streaming.createClient([replay]);
    const subscription = client.subscribe(channel, (message: unknown) => void onMessage(message as AccountChangeEvent));
    return { cancel: () => subscription.cancel() };
  };
}
