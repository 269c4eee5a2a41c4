import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './subgraphs/notifications/db/schema.ts',
  out: './subgraphs/notifications/db/migrations',
  schemaFilter: ['notifications'],
  casing: 'snake_case',
});
