/**
 * The fine-tune and serving estimator: pure TypeScript (no server imports), used by the API, the pages
 * and the browser. Method and sources: docs/estimation.md (see constants.ts and the README "Estimator").
 */
export * from './types.ts';
export * from './constants.ts';
export * from './models.ts';
export * from './hf-config.ts';
export * from './frameworks.ts';
export * from './architecture.ts';
export * from './memory.ts';
export * from './time.ts';
export * from './estimate.ts';
export * from './cost.ts';
export * from './papers.ts';
export * from './calibration.ts';
