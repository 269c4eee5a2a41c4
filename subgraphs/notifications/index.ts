import { remoteTokenKeys } from '../../lib/auth.ts';
import { messageSenderFromEnv } from '../../lib/delivery.ts';
import { jwksUrl } from '../../lib/config.ts';
import { runSubgraph } from '../../lib/service.ts';
import { identitySessionStatusFromEnv } from '../../lib/sessions.ts';
import * as tables from './db/schema.ts';
import { createDeliveryWorker } from './delivery-worker.ts';
import { notificationsEvents } from './events.ts';
import { pushSenderFromEnv } from './push.ts';
import { seedDemoData } from './seed.ts';
import { buildNotificationsService } from './server.ts';

await runSubgraph({
  name: 'notifications',
  tables,
  migrations: new URL('./db/migrations', import.meta.url),
  build: async (database, { bus }) => {
    // Channel deliveries go through the same senders as identity's codes (SMS gateway, SMTP, or the
    // dev outbox); push has no provider yet and goes to its dev outbox (push.ts).
    const deliveries = createDeliveryWorker(database, {
      sender: messageSenderFromEnv(),
      push: pushSenderFromEnv(),
      portalUrl: process.env.PORTAL_URL ?? 'http://localhost:3000',
    });
    deliveries.start();
    const service = await buildNotificationsService({ database, tokenKeys: remoteTokenKeys(jwksUrl()), sessionStatus: identitySessionStatusFromEnv('notifications'), bus });
    return { ...service, stop: () => deliveries.stop().then(service.stop) };
  },
  seed: seedDemoData,
  events: notificationsEvents,
});
