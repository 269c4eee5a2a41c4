import { runSubgraph } from '../../lib/service.ts';
import { identityConfig } from './config.ts';
import * as tables from './db/schema.ts';
import { identityEvents } from './events.ts';
import { seedDemoData } from './seed.ts';
import { buildIdentityService } from './server.ts';

await runSubgraph({
  name: 'identity',
  tables,
  migrations: new URL('./db/migrations', import.meta.url),
  config: identityConfig,
  build: (database, { config }) => buildIdentityService({ database, sender: config.sender, config: config.resolvers, keySeal: config.keySeal, configured: config }),
  seed: seedDemoData,
  events: identityEvents,
});
