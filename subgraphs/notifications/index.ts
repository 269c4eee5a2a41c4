import { remoteTokenKeys } from '../../lib/auth.ts';
import { jwksUrl } from '../../lib/config.ts';
import { runSubgraph } from '../../lib/service.ts';
import * as tables from './db/schema.ts';
import { notificationsEvents } from './events.ts';
import { seedDemoData } from './seed.ts';
import { buildNotificationsService } from './server.ts';

await runSubgraph({
  name: 'notifications',
  tables,
  migrations: new URL('./db/migrations', import.meta.url),
  build: (database) => buildNotificationsService({ database, tokenKeys: remoteTokenKeys(jwksUrl()) }),
  seed: seedDemoData,
  events: notificationsEvents,
});
