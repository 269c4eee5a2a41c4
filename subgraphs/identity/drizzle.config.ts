import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './subgraphs/identity/db/schema.ts',
  out: './subgraphs/identity/db/migrations',
  schemaFilter: ['identity'],
  casing: 'snake_case',
});
