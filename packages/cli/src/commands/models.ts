// tt models: the model versions on chain, base first, each with its lineage (parent, the teach input and dataset it
// was trained on, its pairs and steps). Everything is read from the contract and its events.
import { readModelVersions, trustAndTeach } from '@tt/client';
import { CliError } from '../errors.ts';
import { connect } from '../flow/context.ts';
import { runFlow } from '../flow/run.ts';

const usage = `tt models

Lists the model versions TrustAndTeach knows: version 0 is the base; every other one was fine-tuned inside the
rollup (\`pnpm tt teach --on-chain\`) from its parent on the pairs of one teach input, and registered by the DApp.
Prompt one with \`pnpm tt prompt TEXT --version V\`; \`pnpm tt verify ID\` re-derives a version's weights from the chain.`;

export async function run(argv: string[]): Promise<number> {
  return runFlow(argv, { usage, options: {} }, async ({ values, positionals }, out) => {
    if (positionals.length)
      throw new CliError(`unexpected '${positionals[0]}'`, `usage: ${usage.split('\n')[0]}`, 2);
    const conn = await connect(values);
    try {
      const contract = trustAndTeach(conn.deployments.contracts.TrustAndTeach, conn.provider);
      const versions = await readModelVersions(contract, conn.deployments.trustAndTeachDeploymentBlock);
      out.result(
        {
          versions: versions.map((v) => ({
            ...v,
            parentHash: v.version === 0 ? null : v.parentHash,
            parentVersion: v.version === 0 ? null : v.parentVersion,
          })),
        },
        () => [
          'version  model                                                               parent  pairs  steps  teach input',
          ...versions.map((v) =>
            v.version === 0
              ? `${'0'.padStart(7)}  ${v.modelHash}  (base: ${conn.deployments.model?.name ?? 'the deployed model'})`
              : `${String(v.version).padStart(7)}  ${v.modelHash}  ${String(v.parentVersion).padStart(6)}  ${String(v.pairs).padStart(5)}  ${String(v.steps).padStart(5)}  ${v.teachInputIndex}`,
          ),
          ...lineages(versions),
        ],
      );
      return 0;
    } finally {
      conn.provider.destroy();
    }
  });
}

/** Each leaf's path from the base, e.g. "base → v1 → v3". */
function lineages(versions: readonly { version: number; parentVersion: number }[]): string[] {
  if (versions.length < 2) return [];
  const parents = new Set(versions.slice(1).map((v) => v.parentVersion));
  return versions
    .slice(1)
    .filter((v) => !parents.has(v.version))
    .map((leaf) => {
      const path: string[] = [];
      for (let v: number | undefined = leaf.version; v !== undefined && v !== 0;)
        (path.unshift(`v${v}`), (v = versions[v]?.parentVersion));
      return `lineage: base → ${path.join(' → ')}`;
    });
}
