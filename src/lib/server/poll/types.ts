/** What a poll cycle reports, per provider and as a whole, and the options it takes. */
import type { HttpPolicy } from '#adapters/http.ts';
import type { OfferSource, ProviderId } from '#adapters/types.ts';

export type ProviderPollStatus = 'ok' | 'failed' | 'disabled';

export interface ProviderPollResult {
	provider: ProviderId;
	status: ProviderPollStatus;
	/** why it was not polled (status disabled), e.g. "switched off (not in PROVIDERS)" */
	disabledReason?: string;
	/** what went wrong (status failed); never contains an API key */
	error?: string;
	errorKind?: string;
	pollRunId?: number;
	snapshotId?: number;
	observedAt?: string;
	startedAt: string;
	durationMs: number;
	requests: number;
	/** items in the answer */
	offersSeen: number;
	offersStored: number;
	availableStored: number;
	/** where the prices came from (Lambda without a key: `skypilot-catalog`, stock unknown) */
	source?: OfferSource;
	skipped: number;
	skippedReasons: Record<string, number>;
	unmapped: Record<string, number>;
	rejectedPrices: number;
	notes: string[];
}

export interface CycleResult {
	cycleId: string;
	startedAt: string;
	finishedAt: string;
	results: ProviderPollResult[];
	/** every enabled provider succeeded */
	ok: boolean;
}

export interface PollOptions {
	/** poll only these (default: every provider; disabled ones are reported as such) */
	providers?: ProviderId[];
	/** HTTP policy overrides (tests shrink the backoff; the timeout defaults to PROVIDER_TIMEOUT_MS) */
	http?: Partial<HttpPolicy>;
	/** the clock (tests store snapshots "in the past") */
	now?: () => Date;
	/** stops in-flight requests (server shutdown) */
	signal?: AbortSignal;
	cycleId?: string;
	/** progress lines (e.g. "vastai: storing 9,000 offers"); default: none */
	log?: (line: string) => void;
}
