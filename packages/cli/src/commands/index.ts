// Registry of `tt` subcommands. Each module exports `run(argv: string[]): Promise<number | void>`.
export interface CommandModule {
  run(argv: string[]): Promise<number | void>;
}
export interface Command {
  summary: string;
  load(): Promise<CommandModule>;
}

export const commands: Record<string, Command> = {};
