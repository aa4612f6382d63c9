// Manual helper: starts a throwaway devnet like the e2e test does and prints its deployments path; Ctrl-C stops it.
// node --import tsx packages/cli/test/run-devnet.ts [checkpoint tokenizer]
import { startTestDevnet } from '@tt/devnet/testing';

const devnet = await startTestDevnet({
  ...(process.argv[3] ? { checkpoint: process.argv[2], tokenizer: process.argv[3] } : {}),
  log: (l) => process.stderr.write(`[devnet] ${l}\n`),
});
console.log(devnet.deploymentsPath);
const stop = async () => {
  await devnet.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
