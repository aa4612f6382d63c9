// @tt/protocol: how the parts of Trust-and-Teach talk (docs/interfaces.md), as code. Browser-safe: no Node built-ins.
// Cartesi's own interfaces (the rollup HTTP API, the GraphQL reader, the v1 contract ABIs) are in @tt/cartesi-v1.
export * from './accounts.ts';
export * from './bytes.ts';
export * from './dataset.ts';
export * from './deployments.ts';
export * from './errors.ts';
export * from './limits.ts';
export * from './model-notice.ts';
export * from './notice.ts';
export * from './payload.ts';
export * from './rejections.ts';
export * from './reports.ts';
export * from './sampling.ts';
export * from './seed.ts';
