import { remoteTokenKeys } from '../../lib/auth.ts';
import { runSubgraph } from '../../lib/service.ts';
import { identitySessionStatusOf } from '../../lib/sessions.ts';
import { notificationsConfig } from './config.ts';
import * as tables from './db/schema.ts';
import { createDeliveryWorker } from './delivery-worker.ts';
import { notificationsEvents } from './events.ts';
import { seedDemoData } from './seed.ts';
import { buildNotificationsService } from './server.ts';

await runSubgraph({
  name: 'notifications',
  tables,
  migrations: new URL('./db/migrations', import.meta.url),
  config: notificationsConfig,
  build: async (database, { bus, config }) => {
    const deliveries = createDeliveryWorker(database, { adapters: config.adapters, portalUrl: config.portalUrl });
    deliveries.start();
    const service = await buildNotificationsService({ database, tokenKeys: remoteTokenKeys(config.jwksUrl), sessionStatus: identitySessionStatusOf(config, 'notifications'), bus, configured: config });
    return { ...service, stop: () => deliveries.stop().then(service.stop) };
  },
  seed: seedDemoData,
  events: notificationsEvents,
});
