// The `postgres` driver as lib/db.ts uses it, recording each statement's text. The launcher asks for
// them over the IPC channel ('bench:sql' → { statements }), which empties the record; recording
// starts with the first such message, so loads before it cost nothing.
import postgres from 'postgres';

let statements = null;

function recordingPostgres(url, options = {}) {
  return postgres(url, {
    ...options,
    debug: (connection, query, parameters, types) => {
      statements?.push(query);
      options.debug?.(connection, query, parameters, types);
    },
  });
}
Object.assign(recordingPostgres, postgres);

process.on('message', (message) => {
  if (message !== 'bench:sql') return;
  process.send?.({ statements: statements ?? [] });
  statements = [];
});

export default recordingPostgres;
