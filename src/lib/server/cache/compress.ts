/**
 * gzip / brotli of text answers (HTML, JSON, CSV, the Atom feed) with node:zlib, when the client says it
 * accepts them. Static files are not handled here: adapter-node serves its precompressed .br/.gz copies.
 */
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

export type Encoding = 'br' | 'gzip';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** Under this many bytes the headers cost more than compression saves. */
export const MIN_COMPRESS_BYTES = 1024;

const COMPRESSIBLE = /^(text\/|application\/(json|xml|atom\+xml|rss\+xml|javascript)|image\/svg\+xml)/i;

export function isCompressible(contentType: string | null): boolean {
	return contentType !== null && COMPRESSIBLE.test(contentType);
}

/**
 * The encoding to answer with for an Accept-Encoding header: brotli over gzip, nothing for an
 * encoding the client refuses with q=0 (RFC 9110 §12.5.3), `*` standing for both.
 */
export function negotiateEncoding(acceptEncoding: string | null): Encoding | null {
	if (!acceptEncoding) return null;
	const q = new Map<string, number>();
	for (const part of acceptEncoding.split(',')) {
		const [name, ...params] = part.trim().toLowerCase().split(';');
		if (!name) continue;
		const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
		const value = qParam ? Number(qParam.slice(2)) : 1;
		q.set(name, Number.isFinite(value) ? value : 0);
	}
	const weight = (e: Encoding) => q.get(e) ?? q.get('*') ?? 0;
	if (weight('br') > 0 && weight('br') >= weight('gzip')) return 'br';
	if (weight('gzip') > 0) return 'gzip';
	return null;
}

/**
 * Compresses `body`. Brotli quality 5: a kept answer is compressed once per data version, a per-user one
 * on every request, and past 5 the time grows much faster than the size shrinks (a 240 KB /trends page).
 */
export async function compress(body: Uint8Array, encoding: Encoding): Promise<Uint8Array<ArrayBuffer>> {
	const out =
		encoding === 'br'
			? await brotli(body, {
					params: {
						[constants.BROTLI_PARAM_QUALITY]: 5,
						[constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
						[constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength
					}
				})
			: await gz(body, { level: 6 });
	// a Buffer over a plain ArrayBuffer (zlib never answers with shared memory)
	return new Uint8Array(out.buffer as ArrayBuffer, out.byteOffset, out.byteLength);
}
