// @tt/cartesi-node/testing: the echo backend this package's tests run (a real process on the v1 rollup HTTP API; see
// the file's header for what each payload makes it do), for other packages' tests of a node, e.g. in machine mode.
import { fileURLToPath } from 'node:url';

export const echoBackendPath = fileURLToPath(new URL('../test/fixtures/echo-backend.mjs', import.meta.url));
