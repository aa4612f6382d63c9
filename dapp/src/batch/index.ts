// @tt/dapp/batch: the file formats of the backend's batch mode (`backend.mjs --inputs <drive> --outputs <drive>`),
// for the programs and tests that write its inputs and read its outputs (packages/machine, inside and outside the
// Cartesi machine): the data drive, and the result lines.
export { readDrive, writeDrive } from './drive.ts';
export { formatResults, type BatchResult } from './client.ts';
