// A small Dockerfile reader for the static checks: instructions with their arguments, line continuations joined,
// heredoc bodies (RUN <<EOF … EOF) attached to their instruction, grouped by build stage. It reads the subset of the
// syntax dapp/Dockerfile uses and throws on anything it does not understand, so a check never passes by misreading.

export interface Instruction {
  keyword: string;
  args: string;
  heredoc?: string;
  line: number;
}

export interface Stage {
  from: string;
  name?: string;
  platform?: string;
  instructions: Instruction[];
}

const KEYWORDS = new Set([
  'FROM',
  'RUN',
  'CMD',
  'LABEL',
  'EXPOSE',
  'ENV',
  'ADD',
  'COPY',
  'ENTRYPOINT',
  'VOLUME',
  'USER',
  'WORKDIR',
  'ARG',
  'ONBUILD',
  'STOPSIGNAL',
  'HEALTHCHECK',
  'SHELL',
]);

export function parseDockerfile(text: string): { globalArgs: Instruction[]; stages: Stage[] } {
  const lines = text.split('\n');
  const globalArgs: Instruction[] = [];
  const stages: Stage[] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!;
    if (/^\s*(#|$)/.test(line)) continue;
    while (line.endsWith('\\')) {
      i++;
      let next = lines[i];
      if (next === undefined) throw new Error(`Dockerfile line ${start + 1}: continuation at end of file`);
      while (/^\s*#/.test(next!)) next = lines[++i]; // comment lines inside a continuation are dropped
      line = line.slice(0, -1) + ' ' + next!.trim();
    }
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!m || !KEYWORDS.has(m[1]!.toUpperCase()))
      throw new Error(`Dockerfile line ${start + 1}: cannot read '${line}'`);
    const ins: Instruction = { keyword: m[1]!.toUpperCase(), args: m[2]!.trim(), line: start + 1 };
    const here = /<<-?(["']?)([A-Z_]+)\1/.exec(ins.args);
    if (here && (ins.keyword === 'RUN' || ins.keyword === 'COPY')) {
      const body: string[] = [];
      for (i++; i < lines.length && lines[i]!.trim() !== here[2]; i++) body.push(lines[i]!);
      if (i >= lines.length) throw new Error(`Dockerfile line ${start + 1}: heredoc ${here[2]} never ends`);
      ins.heredoc = body.join('\n');
    }
    if (ins.keyword === 'FROM') {
      const f = /^(?:--platform=(\S+)\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      if (!f) throw new Error(`Dockerfile line ${start + 1}: cannot read FROM ${ins.args}`);
      stages.push({ platform: f[1], from: f[2]!, name: f[3], instructions: [] });
    } else if (stages.length === 0) {
      if (ins.keyword !== 'ARG')
        throw new Error(`Dockerfile line ${start + 1}: ${ins.keyword} before the first FROM`);
      globalArgs.push(ins);
    } else {
      stages[stages.length - 1]!.instructions.push(ins);
    }
  }
  return { globalArgs, stages };
}

/** KEY=value pairs of ENV, LABEL or ARG arguments (values may be double-quoted; no spaces inside unquoted ones). */
export function keyValues(args: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of args.matchAll(/([A-Za-z_][\w.]*)(?:=("(?:[^"\\]|\\.)*"|\S*))?/g)) {
    const v = m[2] ?? '';
    out[m[1]!] = v.startsWith('"') ? v.slice(1, -1) : v;
  }
  return out;
}

export function all(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.keyword === keyword);
}

/** Parsed ENV or LABEL of a stage, later ones winning, as docker does. */
export function merged(stage: Stage, keyword: 'ENV' | 'LABEL' | 'ARG'): Record<string, string> {
  return Object.assign({}, ...all(stage, keyword).map((i) => keyValues(i.args)));
}
