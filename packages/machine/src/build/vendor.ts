// The Cartesi source archives the build uses, checked against the hashes in ../shared/vendor/cartesi/README.md so a
// wrong or damaged archive stops the build before it wastes minutes.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { vendorDir } from '../paths.ts';
import { fileHash } from './cache.ts';
import { MachineError } from './errors.ts';

export const VENDOR = {
  emulator: {
    file: 'machine-emulator-v0.16.1.tar.gz',
    sha256: 'ae71415dd8b1f021c2a540425dbc7dc780df31785518198af641236f310a824d',
    dir: 'machine-emulator-0.16.1',
  },
  json: {
    file: 'nlohmann-json-3.11.3-json.hpp.gz',
    sha256: '696d844332f8307e2d39e0fc1bb659d542581968543ace6c84411236ce1697b5',
  },
  opensbi: {
    file: 'opensbi-v1.3.1-ctsi-1.tar.gz',
    sha256: 'f1830f3f701d188704164883bab5567dc40beb522b3fcd1876fc1a06344c3401',
    dir: 'opensbi-1.3.1-ctsi-1',
  },
  tools: {
    file: 'machine-emulator-tools-v0.14.1.tar.gz',
    sha256: 'dfe62080e2e17e6c2404fd749133c891b47efb60fc5c2488e2922f07170568ac',
    dir: 'machine-emulator-tools-0.14.1',
  },
} as const;

/** Path of a vendored archive, after checking it is there and is the expected one. */
export function vendorFile(which: keyof typeof VENDOR, env: NodeJS.ProcessEnv = process.env): string {
  const dir = vendorDir(env);
  const v = VENDOR[which];
  const path = join(dir, v.file);
  if (!existsSync(path)) {
    throw new MachineError(
      'sources',
      `${v.file} is not in ${dir}`,
      'The Cartesi source archives live beside the repository in ../shared/vendor/cartesi (see its README); ' +
        'set TT_CARTESI_VENDOR to the folder that has them',
    );
  }
  const got = fileHash(path);
  if (got !== v.sha256) {
    throw new MachineError(
      'sources',
      `${path} has sha256 ${got}, expected ${v.sha256}`,
      'The archive is damaged or another version: restore the one listed in ../shared/vendor/cartesi/README.md',
    );
  }
  return path;
}
