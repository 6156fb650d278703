/**
 * The providers' ids, in a module of their own: types.ts, http.ts and errors.ts all need them, and types.ts
 * needs http.ts's client type, so keeping the ids in types.ts made a cycle types → http → errors → types.
 */
export const PROVIDERS = ['vastai', 'runpod', 'lambda'] as const;
export type ProviderId = (typeof PROVIDERS)[number];
