import type { Store } from '../store/store.js';

export interface ReaderContext {
  store: Store;
}
