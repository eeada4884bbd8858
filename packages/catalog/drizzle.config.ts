import { defineConfig } from 'drizzle-kit';

// `pnpm --filter @contextworker/catalog exec drizzle-kit generate` writes the next migration into drizzle/.
// The migrations table is our own, so a host application that also uses drizzle keeps its own history.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema.ts',
  out: './drizzle',
  migrations: { schema: 'drizzle', table: 'contextworker_catalog_migrations' },
});
