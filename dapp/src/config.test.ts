import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config.ts';

const base = {
  ROLLUP_HTTP_SERVER_URL: 'http://127.0.0.1:5004',
  TT_CHECKPOINT: '/opt/cartesi/dapp/models/stories15M.bin',
  TT_TOKENIZER: '/opt/cartesi/dapp/models/tokenizer.bin',
  TT_CONTRACT: '0x' + 'aB'.repeat(20),
};

describe('readConfig', () => {
  it('reads the documented variables, with the model name from the checkpoint file and auto engine by default', () => {
    expect(readConfig(base)).toEqual({
      rollupUrl: 'http://127.0.0.1:5004',
      checkpointPath: base.TT_CHECKPOINT,
      tokenizerPath: base.TT_TOKENIZER,
      contract: base.TT_CONTRACT,
      modelName: 'stories15M',
      modelLicense: 'unknown',
      engineBackend: 'auto',
      teach: { stepsPerInput: 2, hyperParameters: {} },
    });
    expect(
      readConfig({ ...base, TT_MODEL_NAME: 'x', TT_MODEL_LICENSE: 'MIT', TT_ENGINE_BACKEND: 'scalar' }),
    ).toMatchObject({
      modelName: 'x',
      modelLicense: 'MIT',
      engineBackend: 'scalar',
    });
  });

  it('names every missing variable at once', () => {
    expect(() => readConfig({ TT_CHECKPOINT: 'a' })).toThrow(
      new ConfigError(
        'missing environment variable(s) ROLLUP_HTTP_SERVER_URL, TT_TOKENIZER, TT_CONTRACT; see dapp/README.md for what each one is',
      ),
    );
  });

  it('refuses a contract that is not an address, a URL that is not a URL, an unknown engine', () => {
    expect(() => readConfig({ ...base, TT_CONTRACT: '0x1234' })).toThrow(/TT_CONTRACT='0x1234' is not/);
    expect(() => readConfig({ ...base, ROLLUP_HTTP_SERVER_URL: '127.0.0.1:5004 x' })).toThrow(/is not a URL/);
    expect(() => readConfig({ ...base, TT_ENGINE_BACKEND: 'gpu' })).toThrow(/must be auto, simd or scalar/);
  });

  it('reads the training settings and refuses bad ones with what to change', () => {
    expect(
      readConfig({
        ...base,
        TT_TEACH_STEPS_PER_INPUT: '8',
        TT_TEACH_HYPER_PARAMETERS: '{"epochs":3,"seed":5}',
      }).teach,
    ).toEqual({ stepsPerInput: 8, hyperParameters: { epochs: 3, seed: 5 } });
    expect(() => readConfig({ ...base, TT_TEACH_STEPS_PER_INPUT: '0' })).toThrow(
      /TT_TEACH_STEPS_PER_INPUT='0'/,
    );
    expect(readConfig({ ...base, TT_TEACH_HYPER_PARAMETERS: 'batchSize=1,schedule=constant' }).teach).toEqual(
      {
        stepsPerInput: 2,
        hyperParameters: { batchSize: 1, schedule: 'constant' },
      },
    );
    expect(() => readConfig({ ...base, TT_TEACH_HYPER_PARAMETERS: '[1]' })).toThrow(/not key=value/);
    expect(() => readConfig({ ...base, TT_TEACH_HYPER_PARAMETERS: '{' })).toThrow(/JSON/);
    expect(() => readConfig({ ...base, TT_TEACH_HYPER_PARAMETERS: 'batchSize' })).toThrow(/not key=value/);
    expect(() => readConfig({ ...base, TT_TEACH_HYPER_PARAMETERS: '{"epochs":0}' })).toThrow(/epochs/);
  });
});
