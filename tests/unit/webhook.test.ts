/** Webhook URL rules: http(s) only; loopback/private/link-local refused unless allowed. */
import { describe, expect, it } from 'vitest';
import {
	checkWebhookUrl,
	checkWebhookUrlSyntax,
	isPrivateAddress
} from '../../src/lib/server/alerts/webhook.ts';

describe('private addresses', () => {
	it.each([
		'127.0.0.1',
		'127.1.2.3',
		'10.1.2.3',
		'172.16.0.1',
		'172.31.255.255',
		'192.168.1.1',
		'169.254.169.254',
		'100.64.0.1',
		'0.0.0.0',
		'224.0.0.1',
		'255.255.255.255',
		'::1',
		'::',
		'fe80::1',
		'fd00::1',
		'::ffff:127.0.0.1',
		'::ffff:7f00:1',
		'::ffff:10.0.0.1',
		'64:ff9b::a9fe:a9fe',
		'not-an-ip'
	])('%s is not public', (ip) => {
		expect(isPrivateAddress(ip)).toBe(true);
	});

	it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '93.184.215.14', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
		'%s is public',
		(ip) => {
			expect(isPrivateAddress(ip)).toBe(false);
		}
	);
});

describe('webhook URL check', () => {
	it('accepts only http(s) URLs without credentials', () => {
		expect(checkWebhookUrlSyntax('https://example.com/hook').ok).toBe(true);
		expect(checkWebhookUrlSyntax('ftp://example.com/')).toMatchObject({ ok: false, reason: /http/ });
		expect(checkWebhookUrlSyntax('javascript:alert(1)')).toMatchObject({ ok: false });
		expect(checkWebhookUrlSyntax('not a url')).toMatchObject({ ok: false, reason: 'not a valid URL' });
		expect(checkWebhookUrlSyntax('https://user:pw@example.com/')).toMatchObject({ ok: false });
		expect(checkWebhookUrlSyntax('https://example.com/' + 'x'.repeat(3000))).toMatchObject({ ok: false });
	});

	it('refuses loopback and private hosts, by literal and by name, unless allowed', async () => {
		for (const url of [
			'http://127.0.0.1:8080/hook',
			'http://[::1]/hook',
			'http://10.0.0.5/',
			'http://169.254.169.254/latest/meta-data',
			'http://localhost:3000/x',
			'http://0x7f000001/'
		]) {
			expect(await checkWebhookUrl(url, false), url).toMatchObject({ ok: false, reason: /private|resolve/ });
			expect((await checkWebhookUrl(url, true)).ok, url).toBe(true);
		}
		expect((await checkWebhookUrl('https://93.184.215.14/hook', false)).ok).toBe(true);
		expect(await checkWebhookUrl('ftp://127.0.0.1/', true)).toMatchObject({ ok: false });
	});
});
