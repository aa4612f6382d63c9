// @tt/client: the browser-safe core shared by the `tt` CLI and the web UI: the workflows (read, prompt, post, rank,
// verify, export). What travels on the wire (payloads, notices, reports, seeds, deployments, test accounts) is
// @tt/protocol's; import it from there. Node-only helpers live in `@tt/client/node`.
export * from './actions.ts';
export * from './agreement.ts';
export * from './chain.ts';
export * from './chain/logs.ts';
export * from './chain/events.ts';
export * from './contract.ts';
export * from './conversations.ts';
export * from './deployments.ts';
export * from './errors.ts';
export * from './export/formats.ts';
export * from './export/rows.ts';
export * from './export/serialize.ts';
export * from './graphql/request.ts';
export * as graphqlDocuments from './graphql/generated/graphql.ts';
export * from './model.ts';
export * from './outputs.ts';
export * from './post.ts';
export * from './post-all.ts';
export * from './rollup.ts';
export * from './stage.ts';
export * from './status.ts';
export * from './teach/dataset.ts';
export * from './teach/manifest.ts';
export * from './teach/snapshot.ts';
export * from './txerrors.ts';
export * from './verify.ts';
export * from './vouchers.ts';
export * from './teach/onchain.ts';
