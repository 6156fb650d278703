import { getApp } from '$lib/server/app';
import { atomFeed } from '$lib/server/alerts/feed';
import type { RequestHandler } from './$types';

/** Atom feed of the newest alert firings. */
export const GET: RequestHandler = async ({ url }) => {
	const xml = await atomFeed(getApp().database.db, url.origin);
	return new Response(xml, {
		headers: { 'Content-Type': 'application/atom+xml; charset=utf-8', 'Cache-Control': 'no-store' }
	});
};
