// What the backend needs from the inference engine: these members of @tt/llm's Engine and nothing else, so a test
// can wrap a real engine (to make it fail on purpose) without building a whole one.
import type { Engine } from '@tt/llm';

export type BackendEngine = Pick<Engine, 'config' | 'backend' | 'encode' | 'generate' | 'dispose'>;

export type EngineBackendChoice = 'simd' | 'scalar' | 'auto';
