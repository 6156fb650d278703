import { describe, expect, it } from 'vitest';
import { RENT_REL, rentUrl } from '../../src/lib/rent-links.ts';

describe('rent links', () => {
	it('point at each provider’s own page, without tracking parameters', () => {
		expect(rentUrl({ provider: 'vastai', gpuName: 'RTX 4090', gpuCount: 8 })).toBe(
			'https://cloud.vast.ai/create/'
		);
		expect(rentUrl({ provider: 'lambda', gpuName: 'gpu_1x_h100_sxm5', gpuCount: 1 })).toBe(
			'https://cloud.lambda.ai/instances'
		);
		expect(rentUrl({ provider: 'runpod', gpuName: 'RTX 4090', gpuCount: 2 })).toBe(
			'https://console.runpod.io/deploy?gpu=RTX+4090&count=2'
		);
		expect(rentUrl({ provider: 'other', gpuName: 'x', gpuCount: 1 })).toBeNull();
		expect(RENT_REL.split(' ')).toEqual(['noopener', 'noreferrer', 'external']);
	});

	it('a provider’s hostile GPU name stays a query value on RunPod’s own host', () => {
		const url = new URL(
			rentUrl({ provider: 'runpod', gpuName: 'x&ref=me#<script>//evil.example', gpuCount: 0 })!
		);
		expect(url.origin).toBe('https://console.runpod.io');
		expect(url.pathname).toBe('/deploy');
		expect([...url.searchParams.keys()]).toEqual(['gpu', 'count']);
		expect(url.searchParams.get('count')).toBe('1');
		expect(url.hash).toBe('');
	});
});
