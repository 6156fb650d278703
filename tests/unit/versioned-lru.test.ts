/**
 * The bounded map behind kept answers and estimates (src/lib/server/cache/versioned-lru.ts): one
 * computation per key and version however many ask at once, a new version or age is a miss, failures
 * and refused values are not kept, and the bounds evict the least recently used first.
 */
import { describe, expect, it } from 'vitest';
import { VersionedLru } from '../../src/lib/server/cache/versioned-lru.ts';

describe('VersionedLru', () => {
	it('computes once per key and version, even when asked concurrently', async () => {
		const lru = new VersionedLru<string>({ maxEntries: 10 });
		let calls = 0;
		const compute = async () => `v${++calls}`;
		const [a, b] = await Promise.all([lru.get(1, 'k', compute), lru.get(1, 'k', compute)]);
		expect([a, b, calls]).toEqual(['v1', 'v1', 1]);
		expect(await lru.get(1, 'k', compute)).toBe('v1');
		expect(await lru.get(2, 'k', compute)).toBe('v2');
		expect(calls).toBe(2);
	});

	it('rebuilds an entry older than maxAgeMs in the background, serving the old value meanwhile', async () => {
		const lru = new VersionedLru<number>({ maxEntries: 10, maxAgeMs: 1000 });
		let calls = 0;
		let release = () => {};
		const compute = () => {
			calls++;
			return calls === 1 ? Promise.resolve(1) : new Promise<number>((ok) => (release = () => ok(calls)));
		};
		expect(await lru.get(1, 'k', compute, undefined, 0)).toBe(1);
		expect(await lru.get(1, 'k', compute, undefined, 999)).toBe(1);
		// aged: the old value at once, one rebuild for any number of readers
		expect(await lru.get(1, 'k', compute, undefined, 1000)).toBe(1);
		expect(await lru.get(1, 'k', compute, undefined, 1001)).toBe(1);
		expect(calls).toBe(2);
		release();
		await new Promise((r) => setTimeout(r, 0));
		expect(await lru.get(1, 'k', compute, undefined, 1002)).toBe(2);
		// a new version is never served the old value: it waits for its own computation
		const next = lru.get(2, 'k', async () => 42, undefined, 1003);
		expect(await next).toBe(42);
	});

	it('keeps neither a failed computation nor a refused value', async () => {
		const lru = new VersionedLru<number | null>({ maxEntries: 10 });
		await expect(lru.get(1, 'k', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
		expect(await lru.get(1, 'k', async () => 7)).toBe(7);
		const keep = (v: number | null) => v !== null;
		expect(await lru.get(1, 'n', async () => null, keep)).toBeNull();
		await Promise.resolve();
		expect(await lru.get(1, 'n', async () => 3, keep)).toBe(3);
	});

	it('evicts the least recently used first, by count and by size', async () => {
		const lru = new VersionedLru<string>({ maxEntries: 3, maxSize: 10, size: (s) => s.length });
		for (const k of ['a', 'b', 'c']) await lru.get(1, k, async () => k);
		await lru.get(1, 'a', async () => 'never'); // a is now the most recent
		await lru.get(1, 'd', async () => 'd'); // over 3 entries: b goes
		expect(await lru.get(1, 'b', async () => 'B')).toBe('B'); // recomputed, c goes
		expect(await lru.get(1, 'a', async () => 'never')).toBe('a');
		await lru.get(1, 'big', async () => '123456789'); // 9 + the others > 10: the oldest go
		await Promise.resolve();
		expect(lru.totalSize).toBeLessThanOrEqual(10);
		expect(await lru.get(1, 'big', async () => 'x')).toBe('123456789');
	});
});
