import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './subgraphs/profile/db/schema.ts',
  out: './subgraphs/profile/db/migrations',
  schemaFilter: ['profile'],
  casing: 'snake_case',
});
