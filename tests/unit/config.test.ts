import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, ENV_DOCS, loadConfig } from '../../src/lib/server/config.ts';

describe('configuration', () => {
	it('has working defaults for an empty environment', () => {
		const c = loadConfig({});
		expect(c).toMatchObject({
			port: 3000,
			host: '0.0.0.0',
			databaseUrl: undefined,
			dataDir: './data',
			pollIntervalMinutes: 10,
			providerTimeoutMs: 30000,
			providers: ['vastai', 'runpod', 'lambda'],
			apiUrls: {
				vastai: 'https://console.vast.ai',
				runpod: 'https://api.runpod.io',
				lambda: 'https://cloud.lambda.ai'
			},
			lambdaApiKey: undefined,
			archiveImport: true,
			alertAllowPrivate: false,
			alertCreateLimitPerHour: 20,
			adminToken: undefined
		});
	});

	it('parses every variable', () => {
		const c = loadConfig({
			PORT: '8080',
			HOST: '127.0.0.1',
			DATABASE_URL: 'postgres://u:p@db:5432/gpu',
			DATA_DIR: '/var/lib/gpu',
			POLL_INTERVAL_MINUTES: '0',
			PROVIDER_TIMEOUT_MS: '5000',
			PROVIDERS: 'runpod, vastai',
			VASTAI_API_URL: 'http://127.0.0.1:9000/',
			LAMBDA_API_KEY: ' secret_x ',
			ARCHIVE_IMPORT: '0',
			ALERT_ALLOW_PRIVATE: 'true'
		});
		expect(c.port).toBe(8080);
		expect(c.databaseUrl).toBe('postgres://u:p@db:5432/gpu');
		expect(c.pollIntervalMinutes).toBe(0);
		expect(c.providers).toEqual(['runpod', 'vastai']);
		expect(c.apiUrls.vastai).toBe('http://127.0.0.1:9000');
		expect(c.lambdaApiKey).toBe('secret_x');
		expect(c.archiveImport).toBe(false);
		expect(c.alertAllowPrivate).toBe(true);
	});

	it.each([
		['PORT', 'abc'],
		['PORT', '70000'],
		['POLL_INTERVAL_MINUTES', '-1'],
		['PROVIDER_TIMEOUT_MS', '1.5'],
		['PROVIDERS', 'vastai,aws'],
		['DATABASE_URL', 'mysql://x'],
		['VASTAI_API_URL', 'ftp://example.com'],
		['RUNPOD_API_URL', 'not a url'],
		['ARCHIVE_IMPORT', 'maybe']
	])('rejects a bad %s (%s) with a message naming it', (name, value) => {
		let error: unknown;
		try {
			loadConfig({ [name]: value });
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(ConfigError);
		expect((error as ConfigError).variables).toEqual([name]);
		expect((error as Error).message).toContain(name);
	});

	it('names every bad variable at once', () => {
		expect(() => loadConfig({ PORT: 'x', PROVIDERS: 'nope' })).toThrow(/PORT[\s\S]*PROVIDERS/);
	});

	it('takes ADMIN_TOKEN only when long enough to resist guessing, and a creation limit', () => {
		expect(() => loadConfig({ ADMIN_TOKEN: 'short' })).toThrow(/ADMIN_TOKEN: must be at least 16/);
		expect(loadConfig({ ADMIN_TOKEN: '  0123456789abcdef0123  ' }).adminToken).toBe('0123456789abcdef0123');
		expect(loadConfig({ ALERT_CREATE_LIMIT_PER_HOUR: '3' }).alertCreateLimitPerHour).toBe(3);
		expect(() => loadConfig({ ALERT_CREATE_LIMIT_PER_HOUR: '0' })).toThrow(/ALERT_CREATE_LIMIT_PER_HOUR/);
	});

	it('documents every variable in the README table', () => {
		const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
		for (const v of ENV_DOCS) expect(readme).toContain('`' + v.name + '`');
	});
});
