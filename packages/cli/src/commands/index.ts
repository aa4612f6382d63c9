// Registry of `tt` subcommands. Each module exports `run(argv: string[]): Promise<number | void>`.
export interface CommandModule {
  run(argv: string[]): Promise<number | void>;
}
export interface Command {
  summary: string;
  load(): Promise<CommandModule>;
}

export const commands: Record<string, Command> = {
  // The flow, in the order a person uses it.
  prompt: {
    summary: 'send a prompt to the model (--wait to see both responses)',
    load: () => import('./prompt.ts'),
  },
  status: {
    summary: "each conversation's stage, or one conversation in full",
    load: () => import('./status.ts'),
  },
  post: {
    summary: "execute a conversation's vouchers: put both responses on chain",
    load: () => import('./post.ts'),
  },
  rank: {
    summary: 'rank the two responses: --confirm, --switch or --order 1,0',
    load: () => import('./rank.ts'),
  },
  verify: {
    summary: 're-run the model and check the on-chain texts byte for byte',
    load: () => import('./verify.ts'),
  },
  export: { summary: 'the ranked dataset as tsv, json or dpo-jsonl', load: () => import('./export.ts') },
  teach: {
    summary: 'fine-tune the model on the ranked pairs (DPO), reproducibly; --check model.json re-runs it',
    load: () => import('./teach.ts'),
  },
  models: {
    summary: 'the model versions on chain and their lineage (base → v1 → …)',
    load: () => import('./models.ts'),
  },
  // The engine and the model files, without a chain.
  llm: { summary: 'run the model locally: generate, encode, info', load: () => import('./llm.ts') },
  model: {
    summary: 'download a published model into the cache: model fetch [stories15M|stories260K]',
    load: () => import('./model.ts'),
  },
};
