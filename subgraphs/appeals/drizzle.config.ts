import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './subgraphs/appeals/db/schema.ts',
  out: './subgraphs/appeals/db/migrations',
  schemaFilter: ['appeals'],
  casing: 'snake_case',
});
