// The `postgres` driver as lib/db.ts uses it, recording each statement's text. The launcher asks for
// them over the IPC channel ('bench:sql' → { statements }), which empties the record.
import postgres from 'postgres';

const statements = [];

function recordingPostgres(url, options = {}) {
  return postgres(url, {
    ...options,
    debug: (connection, query, parameters, types) => {
      statements.push(query);
      options.debug?.(connection, query, parameters, types);
    },
  });
}
Object.assign(recordingPostgres, postgres);

process.on('message', (message) => {
  if (message === 'bench:sql') process.send?.({ statements: statements.splice(0) });
});

export default recordingPostgres;
