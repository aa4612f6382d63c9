// The backend's configuration, all from the environment (docs/interfaces.md, "The backend process"). Inside the
// Cartesi machine the values come from the Dockerfile's ENV lines; on the devnet from whoever starts the process.
import path from 'node:path';
import { resolveHyperParameters, type HyperParameters } from '@tt/llm';
import type { EngineBackendChoice } from './engine.ts';

/**
 * Optimizer steps' work one input may do by default: seconds in host mode (the devnet). Inside the real machine a DPO
 * pair of stories15M costs 20-45 minutes at 100 M instructions/s (README, "Teach inside the rollup"), so the machine's
 * Dockerfile sets one step of one pair per input instead.
 */
export const DEFAULT_TEACH_STEPS_PER_INPUT = 2;

export interface BackendConfig {
  rollupUrl: string;
  checkpointPath: string;
  tokenizerPath: string;
  contract: string;
  modelName: string;
  modelLicense: string;
  engineBackend: EngineBackendChoice;
  /** Fine-tuning inside the rollup: steps per input, and the hyper-parameters every version is trained with. */
  teach: { stepsPerInput: number; hyperParameters: Partial<HyperParameters> };
}

/**
 * `key=value,key=value` (what a Dockerfile ENV line can carry: `cartesi build` passes it through a shell, which would
 * eat JSON's quotes) or a JSON object. Values are numbers, except `schedule`.
 */
export function parseHyperParameters(text: string): Partial<HyperParameters> {
  const t = text.trim();
  if (t.startsWith('{')) {
    const j = JSON.parse(t) as unknown;
    if (j === null || typeof j !== 'object' || Array.isArray(j)) throw new Error('not a JSON object');
    return j as Partial<HyperParameters>;
  }
  const out: Record<string, number | string> = {};
  for (const part of t.split(',')) {
    const m = /^\s*([A-Za-z0-9]+)\s*=\s*(\S+)\s*$/.exec(part);
    if (!m) throw new Error(`'${part}' is not key=value`);
    const [, key, value] = m as unknown as [string, string, string];
    out[key] = key === 'schedule' ? value : Number(value);
    if (key !== 'schedule' && !Number.isFinite(out[key])) throw new Error(`${key}=${value} is not a number`);
  }
  return out as Partial<HyperParameters>;
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
  const stepsPerInput = Number(env.TT_TEACH_STEPS_PER_INPUT ?? DEFAULT_TEACH_STEPS_PER_INPUT);
  if (!Number.isInteger(stepsPerInput) || stepsPerInput < 1 || stepsPerInput > 1_000_000) {
    throw new ConfigError(
      `TT_TEACH_STEPS_PER_INPUT='${env.TT_TEACH_STEPS_PER_INPUT}' must be an integer from 1 to 1000000 (optimizer steps per input)`,
    );
  }
  let hyperParameters: Partial<HyperParameters> = {};
  if (env.TT_TEACH_HYPER_PARAMETERS) {
    try {
      hyperParameters = parseHyperParameters(env.TT_TEACH_HYPER_PARAMETERS);
      resolveHyperParameters(hyperParameters, 1); // checks every value, naming what to change
    } catch (err) {
      throw new ConfigError(
        `TT_TEACH_HYPER_PARAMETERS is not a usable set of @tt/llm hyper-parameters (${(err as Error).message}); ` +
          'e.g. batchSize=1,epochs=2 or {"batchSize":1,"epochs":2}',
      );
    }
  }
  return {
    rollupUrl,
    checkpointPath,
    tokenizerPath: env.TT_TOKENIZER!,
    contract,
    modelName: env.TT_MODEL_NAME || path.basename(checkpointPath).replace(/\.bin$/, ''),
    modelLicense: env.TT_MODEL_LICENSE || 'unknown',
    engineBackend,
    teach: { stepsPerInput, hyperParameters },
  };
}
