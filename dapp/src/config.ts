// The backend's configuration, all from the environment (docs/interfaces.md, "The backend process"). Inside the
// Cartesi machine the values come from the Dockerfile's ENV lines; on the devnet from whoever starts the process.
import path from 'node:path';
import type { EngineBackendChoice } from './engine.ts';

export interface BackendConfig {
  rollupUrl: string;
  checkpointPath: string;
  tokenizerPath: string;
  contract: string;
  modelName: string;
  modelLicense: string;
  engineBackend: EngineBackendChoice;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): BackendConfig {
  const missing = ['ROLLUP_HTTP_SERVER_URL', 'TT_CHECKPOINT', 'TT_TOKENIZER', 'TT_CONTRACT'].filter(
    (k) => !env[k],
  );
  if (missing.length > 0) {
    throw new ConfigError(
      `missing environment variable(s) ${missing.join(', ')}; see dapp/README.md for what each one is`,
    );
  }
  const contract = env.TT_CONTRACT!;
  if (!/^0x[0-9a-fA-F]{40}$/.test(contract)) {
    throw new ConfigError(
      `TT_CONTRACT='${contract}' is not a 0x-prefixed 20-byte address; set it to the TrustAndTeach address`,
    );
  }
  const rollupUrl = env.ROLLUP_HTTP_SERVER_URL!;
  try {
    new URL(rollupUrl);
  } catch {
    throw new ConfigError(`ROLLUP_HTTP_SERVER_URL='${rollupUrl}' is not a URL (e.g. http://127.0.0.1:5004)`);
  }
  const engineBackend = (env.TT_ENGINE_BACKEND ?? 'auto') as EngineBackendChoice;
  if (!['auto', 'simd', 'scalar'].includes(engineBackend)) {
    throw new ConfigError(
      `TT_ENGINE_BACKEND='${engineBackend}' must be auto, simd or scalar (the results are bit-identical)`,
    );
  }
  const checkpointPath = env.TT_CHECKPOINT!;
  return {
    rollupUrl,
    checkpointPath,
    tokenizerPath: env.TT_TOKENIZER!,
    contract,
    modelName: env.TT_MODEL_NAME || path.basename(checkpointPath).replace(/\.bin$/, ''),
    modelLicense: env.TT_MODEL_LICENSE || 'unknown',
    engineBackend,
  };
}
