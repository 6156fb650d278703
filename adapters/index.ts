/**
 * The adapter registry: the one place that lists the providers' adapters.
 */
import { lambda } from './lambda.ts';
import { runpod } from './runpod.ts';
import type { Adapter, ProviderId } from './types.ts';
import { vastai } from './vastai.ts';

export const ADAPTERS: Record<ProviderId, Adapter> = { vastai, runpod, lambda };

export interface ProviderSettings {
	/** PROVIDERS */
	enabledProviders: readonly ProviderId[];
	lambdaApiKey: string | undefined;
	runpodApiKey: string | undefined;
}

/** Why a provider will not be polled with these settings, or null when it will. */
export function disabledReason(id: ProviderId, settings: ProviderSettings): string | null {
	if (!settings.enabledProviders.includes(id)) return 'switched off (not in PROVIDERS)';
	const needs = ADAPTERS[id].requiredKey;
	if (needs && !apiKeyFor(id, settings) && !ADAPTERS[id].keyless) return `needs ${needs}`;
	return null;
}

/** The adapter polled with these settings: the keyed API, or its keyless source when the key is missing. */
export function pollingAdapter(id: ProviderId, settings: ProviderSettings): Adapter {
	const adapter = ADAPTERS[id];
	return adapter.requiredKey && !apiKeyFor(id, settings) && adapter.keyless ? adapter.keyless : adapter;
}

/** The key an adapter sends, if it has one configured. */
export function apiKeyFor(id: ProviderId, settings: ProviderSettings): string | undefined {
	if (id === 'lambda') return settings.lambdaApiKey;
	if (id === 'runpod') return settings.runpodApiKey;
	return undefined;
}
