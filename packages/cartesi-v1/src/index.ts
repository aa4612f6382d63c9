// @tt/cartesi-v1: the Cartesi Rollups v1 interfaces, as code (see ../shared/docs/cartesi-v1.md for the facts). Typed
// contract factories and canonical addresses are generated from the @cartesi/rollups artifacts by `pnpm build`; the
// GraphQL reader schema is this package's reader.graphql (`@tt/cartesi-v1/reader.graphql`). Browser-safe.
export * from './generated/typechain/index.ts';
export { CARTESI_V1_ADDRESSES } from './generated/addresses.ts';
export * from './rollup-http.ts';
export * from './deterministic.ts';
