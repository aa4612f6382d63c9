export interface BuildContext {
  /** the cache folder (.cache/cartesi-machine) */
  cache: string;
  /** progress lines for the user (stderr, so `--json` output stays clean) */
  log: (line: string) => void;
}

/** One fixed time for everything that would otherwise stamp the build's own time into the image. */
export const SOURCE_DATE_EPOCH = '0';
export const KBUILD_BUILD_TIMESTAMP = 'Thu, 01 Jan 1970 00:00:00 +0000';
