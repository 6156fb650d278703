import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: {
		runes: true
	},
	kit: {
		adapter: adapter({ out: 'build' }),
		// The cross-site form check lives in src/hooks.server.ts (it compares hosts): SvelteKit's own
		// compares with https://HOST when ORIGIN is unset and refused every form on plain http.
		csrf: { trustedOrigins: ['*'] },
		// Scripts only from this origin, no inline script except SvelteKit's own hashed bootstrap; the page
		// may not be framed. Styles allow 'unsafe-inline' (Svelte and chart.js set element styles).
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
