import { remoteTokenKeys } from '../../lib/auth.ts';
import { runSubgraph } from '../../lib/service.ts';
import { identitySessionStatusOf } from '../../lib/sessions.ts';
import * as tables from './db/schema.ts';
import { appealsEvents } from './events.ts';
import { loadReferenceData } from './reference.ts';
import { seedDemoData } from './seed.ts';
import { buildAppealsService } from './server.ts';

await runSubgraph({
  name: 'appeals',
  tables,
  migrations: new URL('./db/migrations', import.meta.url),
  // Appeals has no variables of its own: only every subgraph's (lib/service.ts subgraphConfig).
  config: () => ({}),
  build: (database, { bus, config }) => buildAppealsService({ database, tokenKeys: remoteTokenKeys(config.jwksUrl), sessionStatus: identitySessionStatusOf(config, 'appeals'), bus, configured: config }),
  reference: loadReferenceData,
  seed: seedDemoData,
  events: appealsEvents,
});
