import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedModels } from './testing.ts';

describe('sharedModels', () => {
  it('uses TT_MODELS_DIR and says which file is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tt-models-'));
    writeFileSync(join(dir, 'tokenizer.bin'), 'x');
    const m = sharedModels({ TT_MODELS_DIR: dir });
    expect(m.dir).toBe(dir);
    expect(m.available).toBe(false);
    expect(m.missingReason).toContain(join(dir, 'stories260K.bin'));
    expect(m.missingReason).not.toContain(join(dir, 'tokenizer.bin'));
    writeFileSync(join(dir, 'stories260K.bin'), 'x');
    expect(sharedModels({ TT_MODELS_DIR: dir })).toMatchObject({ available: true, missingReason: null });
  });

  it('defaults to ../shared/models beside the repository', () => {
    expect(sharedModels({}).dir.endsWith(join('shared', 'models'))).toBe(true);
  });
});
