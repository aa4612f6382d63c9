// End to end against one devnet running the real backend with stories260K (the shared setup, ./end-to-end/context.ts),
// then the suites of ./end-to-end/ in this order, one after another on the same chain:
//  1. bad-input.ts  generated payloads through the real InputBox, and near the 2 MiB limit: each rejected with a
//                   report or accepted exactly as specified; the backend never dies; a valid prompt afterwards works
//  2. load.ts       several accounts at once: exactly once, in InputBox order, every voucher executed, the export
//  3. junk.ts       the node's HTTP APIs under junk requests
//  4. security.ts   contract security, voucher destinations, listening sockets, secrets in the logs
//  5. attacks.ts    issue 16's attacks on the rollup API, the chain RPC, GraphQL, snapshots, doomed prompts, 413
//  6. whole-run.ts  the node holds exactly the InputBox's events, each processed once
import { afterAll, beforeAll } from 'vitest';
import { run, startSharedDevnet, stopSharedDevnet } from './end-to-end/context.ts';
import './end-to-end/bad-input.ts';
import './end-to-end/load.ts';
import './end-to-end/junk.ts';
import './end-to-end/security.ts';
import './end-to-end/attacks.ts';
import './end-to-end/whole-run.ts';

beforeAll(async () => {
  if (run) await startSharedDevnet();
});
afterAll(stopSharedDevnet);
