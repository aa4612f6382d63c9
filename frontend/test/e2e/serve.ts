// Starts the test stack and keeps it running, for looking at the UI by hand: `node --import tsx test/e2e/serve.ts`.
import { startStack } from './stack.ts';

const stack = await startStack((l) => console.log(l));
console.log(`UI: ${stack.url}  rpc: ${stack.devnet.rpcUrl}  node: ${stack.devnet.nodeUrl}`);
const stop = () => void stack.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
