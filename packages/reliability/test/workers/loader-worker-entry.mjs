// Worker threads do not take --import hooks from execArgv: register tsx here, then load the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./loader-worker.ts');
