// @tt/machine: the real Cartesi machine built from source, and a runner for it.
export { buildMachine, BANNER, type MachineImage } from './build/index.ts';
export { MachineError } from './build/errors.ts';
export {
  runMachine,
  blankDrive,
  deviceOf,
  type Drive,
  type RunOptions,
  type RunResult,
} from './run/machine.ts';
export { GUEST_APP_DIR } from './build/rootfs.ts';
