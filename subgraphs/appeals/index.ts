import { remoteTokenKeys } from '../../lib/auth.ts';
import { jwksUrl } from '../../lib/config.ts';
import { runSubgraph } from '../../lib/service.ts';
import { identitySessionStatusFromEnv } from '../../lib/sessions.ts';
import * as tables from './db/schema.ts';
import { appealsEvents } from './events.ts';
import { loadReferenceData } from './reference.ts';
import { seedDemoData } from './seed.ts';
import { buildAppealsService } from './server.ts';

await runSubgraph({
  name: 'appeals',
  tables,
  migrations: new URL('./db/migrations', import.meta.url),
  build: (database, { bus }) => buildAppealsService({ database, tokenKeys: remoteTokenKeys(jwksUrl()), sessionStatus: identitySessionStatusFromEnv('appeals'), bus }),
  reference: loadReferenceData,
  seed: seedDemoData,
  events: appealsEvents,
});
