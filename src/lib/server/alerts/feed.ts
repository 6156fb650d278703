/** The Atom feed (RFC 4287) of alert firings, /alerts/feed.xml. */
import { gpuOrFamilyName } from '#catalog/gpu-families.ts';
import { PRICING_LABELS } from '../../format/history.ts';
import { providerLabel } from '../../format/common.ts';
import { usdExact } from '../../format/money.ts';
import { listFirings } from './watches.ts';
import type { Db } from '../db/index.ts';

/** Entries in the feed: enough for a reader polling hourly to miss nothing on a busy day. */
const FEED_ENTRIES = 50;

export function xmlEscape(s: string): string {
	return s.replace(
		/[<>&'"]/g,
		(c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!
	);
}

export async function atomFeed(db: Db, origin: string): Promise<string> {
	const firings = await listFirings(db, FEED_ENTRIES);
	const updated = firings[0]?.firedAt ?? new Date(0).toISOString();
	const entries = firings.map((f) => {
		const gpu = gpuOrFamilyName(f.gpu);
		const title = `${gpu} ${PRICING_LABELS[f.pricing] ?? f.pricing} at ${usdExact(f.pricePerGpuHourUsd)}/GPU-h on ${providerLabel(f.provider)} (threshold ${usdExact(f.thresholdUsd)})`;
		const where = f.region ? `, region ${f.region}` : '';
		const summary = `${f.label ? f.label + ': ' : ''}the cheapest matching offer fell to ${usdExact(f.pricePerGpuHourUsd)} per GPU-hour at ${providerLabel(f.provider)}${where} — at or below the watch threshold of ${usdExact(f.thresholdUsd)}.`;
		return `  <entry>
    <id>urn:gpu-rental-dashboard:alert-firing:${f.id}</id>
    <title>${xmlEscape(title)}</title>
    <updated>${f.firedAt}</updated>
    <link rel="alternate" href="${xmlEscape(`${origin}/gpus/${encodeURIComponent(f.gpu)}`)}"/>
    <summary>${xmlEscape(summary)}</summary>
  </entry>`;
	});
	return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${xmlEscape(`${origin}/alerts`)}</id>
  <title>GPU price alerts</title>
  <updated>${updated}</updated>
  <author><name>GPU rent dashboard</name></author>
  <link rel="self" href="${xmlEscape(`${origin}/alerts/feed.xml`)}"/>
  <link rel="alternate" href="${xmlEscape(`${origin}/alerts`)}"/>
${entries.join('\n')}
</feed>
`;
}
