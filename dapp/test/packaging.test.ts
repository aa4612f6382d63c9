// Static checks of the real Cartesi packaging, which cannot be built or run here (no Docker engine): the compose
// stack, the bake file and the Dockerfile are parsed and checked against the conventions of Cartesi CLI 1.5 and
// against the rest of the repository (addresses in docs/interfaces.md, the build script's output, the model hashes).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { all, merged, parseDockerfile, type Stage } from './dockerfile.ts';
import { dappDir, modelsDir, repoRoot } from './harness.ts';

const read = (p: string) => readFileSync(join(repoRoot, p), 'utf8');

// docs/interfaces.md: "InputBox `0x…`, application (CartesiDApp) `0x…`, authority `0x…`, history `0x…`."
const docAddresses = (() => {
  const m =
    /InputBox `(0x[0-9a-fA-F]{40})`, application \(CartesiDApp\) `(0x[0-9a-fA-F]{40})`,\s*authority `(0x[0-9a-fA-F]{40})`, history `(0x[0-9a-fA-F]{40})`/.exec(
      read('docs/interfaces.md'),
    );
  if (!m) throw new Error('docs/interfaces.md no longer lists the devnet addresses in the expected sentence');
  return { inputBox: m[1]!, application: m[2]!, authority: m[3]!, history: m[4]! };
})();

// the published hashes (../shared/models/README.md, and Dockerfile comments cite the same sources)
const STORIES15M_SHA256 = 'cd590644d963867a2b6e5a1107f51fad663c41d79c149fbecbbb1f95fa81f49a';
const TOKENIZER_SHA256 = '50a52ef822ee9e83de5ce9d0be0a025a773d019437f58b5ff9dcafb063ece361';

function parseSize(s: string): number {
  const m = /^(\d+)(Ki|Mi|Gi)$/.exec(s);
  if (!m) throw new Error(`not a Ki/Mi/Gi size: ${s}`);
  return Number(m[1]) * 1024 ** { Ki: 1, Mi: 2, Gi: 3 }[m[2] as 'Ki' | 'Mi' | 'Gi'];
}

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; target?: string };
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: unknown;
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  expose?: string[];
  networks?: string[] | Record<string, unknown>;
  command?: unknown;
}
interface Compose {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  networks?: Record<string, unknown>;
}

describe('docker-compose.yml', () => {
  const text = read('docker-compose.yml');
  const compose = parseYaml(text, { merge: true }) as Compose;
  const services = compose.services;

  it('parses, and every service dependency, volume and network it names is defined', () => {
    expect(Object.keys(services).sort()).toEqual([
      'anvil',
      'chain_guard',
      'dapp_deployer',
      'database',
      'deployer',
      'files',
      'proxy',
      'validator',
    ]);
    for (const [name, s] of Object.entries(services)) {
      for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
        expect(services[dep], `${name} depends on ${dep}`).toBeDefined();
        expect(['service_started', 'service_healthy', 'service_completed_successfully']).toContain(condition);
        if (condition === 'service_healthy')
          expect(services[dep]!.healthcheck, `${dep} needs a healthcheck`).toBeDefined();
      }
      for (const v of s.volumes ?? []) {
        const source = v.split(':')[0]!;
        if (source.startsWith('.') || source.startsWith('/')) {
          // bind mounts: files of this repository, except the snapshot `cartesi build` writes
          if (source === './dapp/.cartesi/image') continue;
          expect(existsSync(join(repoRoot, source)), `${name} mounts ${source}`).toBe(true);
        } else {
          expect(compose.volumes?.[source], `${name} uses volume ${source}`).toBeDefined();
        }
      }
      const nets = Array.isArray(s.networks) ? s.networks : Object.keys(s.networks ?? {});
      for (const n of nets) expect(compose.networks?.[n], `${name} uses network ${n}`).toBeDefined();
      expect(s.image ?? s.build, `${name} has an image or a build`).toBeDefined();
    }
  });

  it('interpolates only ${NAME} / ${NAME:-default} and escapes container-side $ as $$', () => {
    // every string value of the parsed file (comments are not interpolated, so they are not looked at)
    const strings: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string') strings.push(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(compose);
    const dollars = strings.flatMap((v) => v.replace(/\$\$/g, '').match(/\$[^{]|\$$|\$\{[^}]*\}/g) ?? []);
    expect(dollars.length).toBeGreaterThan(3);
    for (const d of dollars) expect(d, d).toMatch(/^\$\{[A-Z_][A-Z0-9_]*(:-[^}]*)?\}$/);
  });

  it('builds the deployer from dapp/Dockerfile, a stage that exists', () => {
    const b = services.deployer!.build!;
    expect(existsSync(join(repoRoot, b.context, b.dockerfile))).toBe(true);
    const { stages } = parseDockerfile(read(join(b.context, b.dockerfile)));
    expect(stages.map((s) => s.name)).toContain(b.target);
  });

  it('runs the v1 stack of Cartesi CLI 1.5: anvil devnet, rollups-node 1.5.1, postgres, traefik', () => {
    expect(services.anvil!.image).toBe('cartesi/sdk:0.10.0');
    expect(services.anvil!.command).toEqual(['devnet', '--block-time', '${BLOCK_TIME:-5}']);
    expect(services.validator!.image).toBe('cartesi/rollups-node:1.5.1');
    expect(services.database!.image).toMatch(/^postgres:\d+-alpine$/);
    expect(services.proxy!.image).toMatch(/^traefik:v2\./);
  });

  it('configures the node with the addresses of docs/interfaces.md and the CLI defaults', () => {
    const env = services.validator!.environment!;
    expect(env).toMatchObject({
      CARTESI_CONTRACTS_INPUT_BOX_ADDRESS: docAddresses.inputBox,
      CARTESI_CONTRACTS_APPLICATION_ADDRESS: docAddresses.application,
      CARTESI_CONTRACTS_AUTHORITY_ADDRESS: docAddresses.authority,
      CARTESI_CONTRACTS_HISTORY_ADDRESS: docAddresses.history,
      CARTESI_CONTRACTS_INPUT_BOX_DEPLOYMENT_BLOCK_NUMBER: '22',
      CARTESI_BLOCKCHAIN_ID: '31337',
      CARTESI_BLOCKCHAIN_HTTP_ENDPOINT: 'http://anvil:8545',
      CARTESI_BLOCKCHAIN_WS_ENDPOINT: 'ws://anvil:8545',
      CARTESI_HTTP_PORT: '10000',
      CARTESI_FEATURE_DISABLE_MACHINE_HASH_CHECK: 'true',
      CARTESI_POSTGRES_ENDPOINT: 'postgres://postgres:password@database:5432/postgres',
      CARTESI_SNAPSHOT_DIR: '/usr/share/rollups-node/snapshot',
    });
    expect(services.dapp_deployer!.environment).toMatchObject({ APPLICATION: docAddresses.application });
    expect(services.database!.environment).toMatchObject({ POSTGRES_PASSWORD: 'password' });
  });

  it("lets one input run as long as the advance deadline: the advance-runner's polling limit is not the 10-minute default", () => {
    const env = services.validator!.environment!;
    const value = (k: string) => Number(/^\$\{[A-Z_]+:-(\d+)\}$/.exec(env[k] ?? '')?.[1]);
    const deadlineMs = value('SM_DEADLINE_ADVANCE_STATE');
    const pollMs = value('SM_PENDING_INPUTS_SLEEP_DURATION') * value('SM_PENDING_INPUTS_MAX_RETRIES');
    // rollups-node 1.5.1 gives up after 600 x 1000 ms; a stories15M prompt measured ~18 min in the emulator on a busy
    // 2-core host (pnpm bench:vm: 315 M cycles per token at 149 M cycles/s, two 256-token responses)
    expect(pollMs).toBeGreaterThanOrEqual(deadlineMs);
    expect(pollMs).toBeGreaterThanOrEqual(3 * 18 * 60_000);
  });

  it('refuses to start the node on a database of another chain, and says to tear down with down -v', () => {
    const guard = services.chain_guard!;
    expect(guard.image).toMatch(/^postgres:/); // psql, and busybox wget for the JSON-RPC call
    expect(guard.depends_on).toMatchObject({
      database: { condition: 'service_healthy' },
      anvil: { condition: 'service_healthy' },
    });
    expect(services.validator!.depends_on).toMatchObject({
      chain_guard: { condition: 'service_completed_successfully' },
    });
    const script = (guard.command as string[])[0]!;
    expect(script).toMatch(/eth_getBlockByNumber/);
    expect(script).toMatch(/exit 1/);
    expect(script).toMatch(/docker compose down -v/);
    expect(text).toMatch(/Tear down like `cartesi run` does, with the volumes: `docker compose down -v`/);
  });

  it('publishes only on 127.0.0.1: the chain on 8545 and the proxy on 8080', () => {
    const published = Object.entries(services).flatMap(([name, s]) =>
      (s.ports ?? []).map((p) => [name, p] as const),
    );
    expect(published).toEqual([
      ['anvil', '127.0.0.1:8545:8545'],
      ['proxy', '127.0.0.1:${CARTESI_LISTEN_PORT:-8080}:8088'],
    ]);
  });

  it('routes /graphql, /inspect and the devnet’s static files through the proxy to services that exist', () => {
    const proxyArgs = (services.proxy!.command as string[]).join(' ');
    expect(proxyArgs).toContain('--entryPoints.web.address=:8088');
    const routesFile = /--providers\.file\.filename=(\S+)/.exec(proxyArgs)![1]!;
    const mount = services.proxy!.volumes!.find((v) => v.split(':')[1] === routesFile)!;
    const routes = parseYaml(read(mount.split(':')[0]!)) as {
      http: {
        routers: Record<string, { rule: string; service: string; middlewares?: string[] }>;
        services: Record<string, { loadBalancer: { servers: { url: string }[] } }>;
        middlewares: Record<string, unknown>;
      };
    };
    const rules = Object.values(routes.http.routers)
      .map((r) => r.rule)
      .join(' ');
    for (const path of ['/graphql', '/inspect', '/models/'])
      expect(rules).toContain(`PathPrefix(\`${path}\`)`);
    expect(rules).toContain('Path(`/deployments.json`)');
    for (const r of Object.values(routes.http.routers)) {
      expect(routes.http.services[r.service]).toBeDefined();
      for (const m of r.middlewares ?? []) expect(routes.http.middlewares[m]).toBeDefined();
    }
    for (const s of Object.values(routes.http.services)) {
      for (const { url } of s.loadBalancer.servers) {
        const host = new URL(url).hostname;
        expect(services[host], `route target ${url}`).toBeDefined();
      }
    }
    expect(routes.http.services.validator!.loadBalancer.servers[0]!.url).toBe('http://validator:10000');
  });
});

describe('docker-bake.hcl', () => {
  it('parses, and builds the riscv64 machine image and the deployer from stages of dapp/Dockerfile', async () => {
    const bake = (await parseHcl('docker-bake.hcl', read('docker-bake.hcl'))) as {
      group: Record<string, { targets: string[] }[]>;
      target: Record<string, Record<string, unknown>[]>;
    };
    const targets = Object.fromEntries(Object.entries(bake.target).map(([k, v]) => [k, v[0]!]));
    for (const t of bake.group.default![0]!.targets) expect(targets[t], t).toBeDefined();
    const resolved = (name: string) =>
      Object.assign(
        {},
        ...((targets[name]!.inherits as string[]) ?? []).map((p) => targets[p]),
        targets[name],
      );
    const { stages } = parseDockerfile(read('dapp/Dockerfile'));
    for (const name of ['dapp', 'deployer']) {
      const t = resolved(name);
      expect(t.context).toBe('.');
      expect(t.dockerfile).toBe('dapp/Dockerfile');
      expect(stages.map((s) => s.name)).toContain(t.target);
    }
    expect(resolved('dapp')).toMatchObject({
      target: 'runtime',
      platforms: ['linux/riscv64'],
      tags: ['trust-and-teach/dapp:${TAG}'],
    });
    expect((resolved('dapp').args as Record<string, string>).TT_CONTRACT).toBe('${TT_CONTRACT}');
    // compose runs the deployer image by the tag bake gives it
    const compose = parseYaml(read('docker-compose.yml'), { merge: true }) as Compose;
    expect(compose.services.deployer!.image).toBe('trust-and-teach/deployer:${TAG:-devel}');
    expect(resolved('deployer').tags).toEqual(['trust-and-teach/deployer:${TAG}']);
  });
});

describe('dapp/Dockerfile', () => {
  const { globalArgs, stages } = parseDockerfile(read('dapp/Dockerfile'));
  const runtime = stages[stages.length - 1]!;
  const byName = (n: string) => stages.find((s) => s.name === n)!;
  const env = merged(runtime, 'ENV');
  const labels = merged(runtime, 'LABEL');

  it('ends with the linux/riscv64 runtime of the CLI 1.5 TypeScript template, so `cartesi build` takes it by default', () => {
    expect(runtime).toMatchObject({
      platform: 'linux/riscv64',
      from: 'cartesi/node:20.16.0-jammy-slim',
      name: 'runtime',
    });
    expect(all(runtime, 'ENTRYPOINT').map((i) => JSON.parse(i.args))).toEqual([['rollup-init']]);
    expect(all(runtime, 'CMD').map((i) => JSON.parse(i.args))).toEqual([['node', 'backend.mjs']]);
    expect(all(runtime, 'WORKDIR').map((i) => i.args)).toEqual(['/opt/cartesi/dapp']);
    expect(env.PATH).toBe('/opt/cartesi/bin:${PATH}');
    expect(env.ROLLUP_HTTP_SERVER_URL).toBe('http://127.0.0.1:5004');
  });

  it('installs machine-emulator-tools 0.14.1 and busybox-static as the template does', () => {
    expect(merged({ instructions: globalArgs } as Stage, 'ARG').MACHINE_EMULATOR_TOOLS_VERSION).toBe(
      '0.14.1',
    );
    const add = all(runtime, 'ADD')
      .map((i) => i.args)
      .join('\n');
    expect(add).toContain(
      'https://github.com/cartesi/machine-emulator-tools/releases/download/v${MACHINE_EMULATOR_TOOLS_VERSION}/machine-emulator-tools-v${MACHINE_EMULATOR_TOOLS_VERSION}.deb',
    );
    const run = all(runtime, 'RUN')
      .map((i) => `${i.args}\n${i.heredoc ?? ''}`)
      .join('\n');
    expect(run).toContain('dpkg -i /machine-emulator-tools-v${MACHINE_EMULATOR_TOOLS_VERSION}.deb');
    expect(run).toContain('busybox-static=1:1.30.1-7ubuntu3');
  });

  it('labels the SDK 0.9.0 and enough RAM to run and fine-tune stories15M', () => {
    expect(labels['io.cartesi.rollups.sdk_version']).toBe('0.9.0');
    // 60.8 MB of weights, held twice (node's buffer, the wasm heap), the trainer's peak for a pair of 256-position
    // sequences (bench:teach's peakMemoryBytes), plus node itself
    expect(parseSize(labels['io.cartesi.rollups.ram_size']!)).toBeGreaterThanOrEqual(
      2 * 60_816_028 + 450_822_144 + 128 * 1024 ** 2,
    );
  });

  it('configures the backend entirely through ENV, with values `cartesi build` can export (no spaces)', () => {
    expect(env).toMatchObject({
      TT_CHECKPOINT: '/opt/cartesi/dapp/models/${MODEL_NAME}.bin',
      TT_TOKENIZER: '/opt/cartesi/dapp/models/tokenizer.bin',
      TT_MODEL_NAME: '${MODEL_NAME}',
      TT_MODEL_LICENSE: 'MIT',
      TT_CONTRACT: '${TT_CONTRACT}',
    });
    for (const [k, v] of Object.entries(env)) expect(v, k).not.toMatch(/\s/);
    expect(Object.keys(merged(runtime, 'ARG'))).toEqual(
      expect.arrayContaining(['TT_CONTRACT', 'MODEL_NAME']),
    );
    const copies = all(runtime, 'COPY').map((i) => i.args);
    expect(copies).toContain('--from=build /src/dapp/dist/ .');
    expect(copies).toContain('--from=models /models/ ./models/');
  });

  it('builds the bundle and the packages it depends on with the npm registry only, with `pnpm --filter @tt/dapp build`', () => {
    const build = byName('build');
    const text = build.instructions.map((i) => `${i.args}\n${i.heredoc ?? ''}`).join('\n');
    expect(text).not.toMatch(/curl|wget|https?:\/\//);
    expect(all(build, 'ADD')).toEqual([]);
    expect(text).toContain('--filter "@tt/dapp..." run build');
    const pkg = JSON.parse(readFileSync(join(dappDir, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.build).toBe('node scripts/build.mjs');
    expect(readFileSync(join(dappDir, 'scripts/build.mjs'), 'utf8')).toContain(
      "outfile: join(dist, 'backend.mjs')",
    );
  });

  it('downloads the model files at build time and checks their published sha256', () => {
    const models = byName('models');
    const args = merged(models, 'ARG');
    expect(args).toMatchObject({
      MODEL_URL: 'https://huggingface.co/karpathy/tinyllamas/resolve/main/stories15M.bin',
      MODEL_SHA256: STORIES15M_SHA256,
      TOKENIZER_SHA256: TOKENIZER_SHA256,
    });
    expect(args.TOKENIZER_URL).toMatch(/karpathy\/llama2\.c\/.*tokenizer\.bin$/);
    const run = all(models, 'RUN')
      .map((i) => i.heredoc ?? i.args)
      .join('\n');
    expect(run).toContain('sha256sum -c -');
    const tokenizer = join(modelsDir, 'tokenizer.bin');
    if (existsSync(tokenizer)) {
      expect(createHash('sha256').update(readFileSync(tokenizer)).digest('hex')).toBe(TOKENIZER_SHA256);
    }
  });
});
