// Module hook: lib/db.ts gets the recording driver in place of `postgres`; everyone else the real one.
const recording = new URL('./postgres.mjs', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'postgres' && context.parentURL?.endsWith('/lib/db.ts')) return { url: recording, shortCircuit: true };
  return next(specifier, context);
}
