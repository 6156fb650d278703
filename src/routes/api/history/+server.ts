import { json } from '@sveltejs/kit';
import { repeatedParamResponse, zodBadRequest } from '$lib/server/api';
import { getApp } from '$lib/server/app';
import { ARCHIVE_ATTRIBUTION, ARCHIVE_ATTRIBUTION_URL } from '$lib/server/archive';
import { historyQuerySchema, queryHistory } from '$lib/server/history/query';
import { historyToCsv } from '$lib/server/history/csv';
import type { RequestHandler } from './$types';

/** GET /api/history?gpu=SLUG[&provider=&pricing=&cloud=&source=&from=&to=&bucket=&format=csv] */
export const GET: RequestHandler = async ({ url }) => {
	const repeated = repeatedParamResponse(url.searchParams, Object.keys(historyQuerySchema.shape));
	if (repeated) return repeated;
	const parsed = historyQuerySchema.safeParse(Object.fromEntries(url.searchParams));
	if (!parsed.success) return zodBadRequest(parsed.error, 'query');
	const result = await queryHistory(getApp().database.db, parsed.data);
	const hasArchive = result.series.some((s) => s.source === 'archive');
	const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
	// Archived points keep their attribution wherever they are shipped (archive/README.md).
	if (hasArchive) headers['X-Data-Attribution'] = `${ARCHIVE_ATTRIBUTION} ${ARCHIVE_ATTRIBUTION_URL}`;
	if (parsed.data.format === 'csv') {
		return new Response(historyToCsv(result), {
			headers: {
				...headers,
				'Content-Type': 'text/csv; charset=utf-8',
				'Content-Disposition': `attachment; filename="history-${result.gpu}.csv"`
			}
		});
	}
	return json(
		hasArchive
			? { ...result, attribution: { text: ARCHIVE_ATTRIBUTION, url: ARCHIVE_ATTRIBUTION_URL } }
			: result,
		{
			headers
		}
	);
};
