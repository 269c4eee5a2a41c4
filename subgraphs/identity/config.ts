import { readFileSync } from 'node:fs';
import type { EnvReader } from '../../lib/config.ts';
import { messageSender } from '../../lib/delivery.ts';
import { keySeal } from './domain/key-seal.ts';
import { loadTrustedRoots } from './domain/signature.ts';

const DAY = 24 * 60 * 60 * 1000;

/** Identity's own variables, read at start with every subgraph's (lib/service.ts `runSubgraph`). */
export function identityConfig(env: EnvReader) {
  const bundle = env.file('TRUSTED_CA_BUNDLE');
  return {
    sender: messageSender(env),
    keySeal: keySeal(env),
    resolvers: {
      portalUrl: env.url('PORTAL_URL', ['http:', 'https:'], 'http://localhost:3000'),
      // A PEM bundle of accredited certification authorities; without it no signature is trusted.
      trustedRoots: bundle ? env.parsed('TRUSTED_CA_BUNDLE', () => loadTrustedRoots(readFileSync(bundle, 'utf8')), []) : [],
      letterDeliveryMs: env.integer('LETTER_DELIVERY_DAYS', 14, { min: 1, max: 90, unit: ' of days' }) * DAY,
    },
  };
}
