// @tt/client: the browser-safe core shared by the `tt` CLI and the web UI. Node-only helpers live in `@tt/client/node`.
export * from './bytes.ts';
export * from './model.ts';
export * from './stage.ts';
export * from './export/rows.ts';
export * from './export/formats.ts';
