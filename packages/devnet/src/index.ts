// @tt/devnet: the Trust-and-Teach devnet (see README.md): @tt/cartesi-node's local chain and node with TrustAndTeach,
// the model and the backend. The test harness every package shares is @tt/devnet/testing.
export { startDevnet, type Devnet, type DevnetOptions, type DevnetDeployments } from './devnet.js';
export { ModelUnavailableError, type ResolvedModel } from './model.js';
export { MachineUnavailableError, type DevnetMachineImage } from './machine.js';
