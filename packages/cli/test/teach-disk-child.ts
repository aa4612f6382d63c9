// Child process of the full-disk tests (teach-run.test.ts): runs `tt teach`'s training run on the fixture into OUT
// (on a small tmpfs, or under a file-size limit, set up by the parent's shell) and prints one JSON line: the result
// or the error's code and message. Usage: node --import tsx teach-disk-child.ts OUT
import { LlmError } from '@tt/llm';
import { runTeach } from '../src/teach/run.ts';
import { fixture, HYPER_PARAMETERS, SNAPSHOT } from './teach-fixtures.ts';

const out = process.argv[2]!;
const f = fixture();
try {
  const r = await runTeach({
    base: { checkpoint: f.checkpoint, tokenizer: f.tokenizer },
    snapshot: SNAPSHOT,
    dataset: f.dataset,
    hyperParameters: HYPER_PARAMETERS,
    backend: 'scalar',
    outDir: out,
    repoRoot: out,
  });
  console.log(JSON.stringify({ ok: true, modelHash: r.manifest.modelHash }));
} catch (e) {
  if (!(e instanceof LlmError)) throw e;
  console.log(JSON.stringify({ ok: false, code: e.code, message: e.message }));
}
