import { defineConfig } from 'drizzle-kit';

// Migrations are generated here (`npm run db:generate`) and applied by the app at start, on both engines.
export default defineConfig({
	dialect: 'postgresql',
	schema: './src/lib/server/db/schema.ts',
	out: './migrations',
	strict: true,
	verbose: true
});
