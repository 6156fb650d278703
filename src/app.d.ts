// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		interface Error {
			message: string;
			code?: string;
		}
		interface Locals {
			/** set by handleError when a request failed because the database is unreachable */
			databaseUnavailable?: boolean;
		}
	}
}

export {};
