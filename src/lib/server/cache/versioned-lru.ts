/**
 * A bounded least-recently-used map of values computed per data version (data-version.ts): an entry
 * built at another version is a miss, and concurrent asks for one key at one version share one
 * computation. Bounded by entries and by a size the caller measures (bytes, for answers).
 */

interface Entry<T> {
	version: number;
	value: Promise<T>;
	size: number;
	builtAtMs: number;
	/** a rebuild for age is on its way (one at a time) */
	refreshing?: boolean;
}

export interface VersionedLruOptions<T> {
	maxEntries: number;
	/** total of size(value) kept at most (default: no limit beyond maxEntries) */
	maxSize?: number;
	size?: (value: T) => number;
	/**
	 * An entry older than this is rebuilt even at the same version (default: never). Until the rebuild is
	 * done the old value is still served — only a new data version makes callers wait — so an expiry
	 * under load costs one computation, not a queue of every reader behind it.
	 */
	maxAgeMs?: number;
}

export class VersionedLru<T> {
	#entries = new Map<string, Entry<T>>();
	#size = 0;
	readonly #opts: VersionedLruOptions<T>;

	constructor(opts: VersionedLruOptions<T>) {
		this.#opts = opts;
	}

	get entries(): number {
		return this.#entries.size;
	}

	get totalSize(): number {
		return this.#size;
	}

	/**
	 * The value of `key` at `version`: kept, or computed once now. A computation that fails, or whose
	 * value `keep` refuses (an error page), is not kept.
	 */
	get(
		version: number,
		key: string,
		compute: () => Promise<T>,
		keep: (value: T) => boolean = () => true,
		nowMs: number = Date.now()
	): Promise<T> {
		const hit = this.#entries.get(key);
		if (hit && hit.version === version) {
			// Map order is insertion order: re-inserting makes it the most recently used.
			this.#entries.delete(key);
			this.#entries.set(key, hit);
			const maxAge = this.#opts.maxAgeMs ?? Infinity;
			if (nowMs - hit.builtAtMs >= maxAge && !hit.refreshing) this.#refresh(key, hit, compute, keep, nowMs);
			return hit.value;
		}
		if (hit) this.#drop(key, hit);
		return this.#start(key, version, compute, keep, nowMs).value;
	}

	#start(
		key: string,
		version: number,
		compute: () => Promise<T>,
		keep: (value: T) => boolean,
		nowMs: number
	): Entry<T> {
		const entry: Entry<T> = { version, value: compute(), size: 0, builtAtMs: nowMs };
		this.#entries.set(key, entry);
		entry.value.then(
			(value) => {
				if (this.#entries.get(key) !== entry) return;
				if (!keep(value)) return this.#drop(key, entry);
				entry.size = this.#opts.size?.(value) ?? 0;
				this.#size += entry.size;
				this.#evict();
			},
			() => {
				if (this.#entries.get(key) === entry) this.#drop(key, entry);
			}
		);
		this.#evict();
		return entry;
	}

	/** Rebuilds an aged entry in the background; it replaces the old one once it is done and kept. */
	#refresh(
		key: string,
		old: Entry<T>,
		compute: () => Promise<T>,
		keep: (value: T) => boolean,
		nowMs: number
	): void {
		old.refreshing = true;
		compute().then(
			(value) => {
				old.refreshing = false;
				if (this.#entries.get(key) !== old || !keep(value)) return;
				this.#drop(key, old);
				this.#start(key, old.version, () => Promise.resolve(value), keep, nowMs);
			},
			() => {
				old.refreshing = false;
			}
		);
	}

	/** Adds `delta` to a kept entry's size (an answer's compressed variants, made on first ask). */
	grow(key: string, value: Promise<T>, delta: number): void {
		const entry = this.#entries.get(key);
		if (!entry || entry.value !== value) return;
		entry.size += delta;
		this.#size += delta;
		this.#evict();
	}

	clear(): void {
		this.#entries.clear();
		this.#size = 0;
	}

	#drop(key: string, entry: Entry<T>): void {
		this.#entries.delete(key);
		this.#size -= entry.size;
	}

	#evict(): void {
		const maxSize = this.#opts.maxSize ?? Infinity;
		while (this.#entries.size > this.#opts.maxEntries || this.#size > maxSize) {
			const oldest = this.#entries.keys().next();
			if (oldest.done) break;
			this.#drop(oldest.value, this.#entries.get(oldest.value)!);
		}
	}
}
