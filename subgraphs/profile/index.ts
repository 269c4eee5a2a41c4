import { remoteTokenKeys } from '../../lib/auth.ts';
import { jwksUrl } from '../../lib/config.ts';
import { runSubgraph } from '../../lib/service.ts';
import * as tables from './db/schema.ts';
import { profileEvents } from './events.ts';
import { seedDemoData } from './seed.ts';
import { buildProfileService } from './server.ts';

await runSubgraph({
  name: 'profile',
  tables,
  migrations: new URL('./db/migrations', import.meta.url),
  build: (database) => buildProfileService({ database, tokenKeys: remoteTokenKeys(jwksUrl()) }),
  seed: seedDemoData,
  events: profileEvents,
});
