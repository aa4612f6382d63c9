// Manual helper: starts a throwaway devnet like the e2e test does and prints its deployments path; Ctrl-C stops it.
// node --import tsx packages/cli/test/run-devnet.ts [checkpoint tokenizer]
import { startDevnet } from '@tt/devnet';
import { smallModel, tempDir } from './support.ts';

const dir = tempDir('tt-devnet-');
const devnet = await startDevnet({
  ports: { rpc: 0, node: 0 },
  stateDir: dir.path,
  fresh: true,
  checkpoint: process.argv[2] ?? smallModel.checkpoint,
  tokenizer: process.argv[3] ?? smallModel.tokenizer,
  log: (l) => process.stderr.write(`[devnet] ${l}\n`),
});
console.log(devnet.deploymentsPath);
const stop = async () => {
  await devnet.stop();
  dir.remove();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
