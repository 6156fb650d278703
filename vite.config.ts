import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	// PGlite loads its WASM and data files relative to its own package: bundled into the SSR
	// output it fails with ENOENT …/pglite.data (https://pglite.dev/docs/bundler-support).
	ssr: { external: ['@electric-sql/pglite', 'postgres'] },
	optimizeDeps: { exclude: ['@electric-sql/pglite'] },
	build: { target: 'es2023' },
	test: {
		// Each PGlite instance costs ~375 MB and a WASM start; two cores here.
		maxWorkers: 2,
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['tests/unit/**/*.test.ts', 'tests/adapters/**/*.test.ts', 'tests/estimator/**/*.test.ts'],
					environment: 'node',
					// A hang guard, not a speed check: the property tests run hundreds of cases and take
					// 1–2 s on a quiet machine, several times that beside the db project on two cores.
					testTimeout: 30_000
				}
			},
			{
				extends: true,
				test: {
					name: 'db',
					include: ['tests/db/**/*.test.ts', 'tests/integration/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['tests/helpers/global-setup.ts'],
					testTimeout: 60_000,
					hookTimeout: 120_000
				}
			}
		]
	}
});
