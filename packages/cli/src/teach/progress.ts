// The live view of a training run: on a terminal one line redrawn in place (a bar, then step, loss, accuracy, reward
// margin, tokens/s and ETA); anywhere else (a log file, CI, a pipe) one plain line per phase and per optimizer step, so
// logs stay readable and complete.
import type { StepMetrics, TeachPhase, TeachProgress } from '@tt/llm';

/** What the view shows: teach()'s progress report (the native build's is made to match). */
export type ProgressState = Omit<TeachProgress, 'elapsedSeconds'>;

const PHASE_LABEL: Record<TeachPhase, string> = {
  reference: 'base log-probs',
  train: 'training',
  evaluate: 'evaluating',
};

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

const signed = (x: number, digits: number) => `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;

/** The numbers of a progress line: step, loss, accuracy, margin, tokens/s, ETA (what both views show). */
export function progressFields(p: ProgressState): string {
  const parts = [`step ${p.step}/${p.totalSteps}`];
  if (p.metrics) {
    parts.push(
      `loss ${p.metrics.loss.toFixed(4)}`,
      `acc ${(p.metrics.accuracy * 100).toFixed(0)}%`,
      `margin ${signed(p.metrics.rewardMargin, 4)}`,
    );
  }
  if (p.tokensPerSecond > 0) parts.push(`${p.tokensPerSecond.toFixed(0)} tok/s`);
  parts.push(`ETA ${formatDuration(p.etaSeconds)}`);
  return parts.join(' · ');
}

/** A bar of `width` cells for done/of (eighths of a cell on a terminal that shows block elements). */
export function bar(done: number, of: number, width: number): string {
  const frac = of > 0 ? Math.min(1, Math.max(0, done / of)) : 0;
  const eighths = Math.round(frac * width * 8);
  const full = Math.floor(eighths / 8);
  const part = eighths % 8;
  const partial = part ? '▏▎▍▌▋▊▉'[part - 1]! : '';
  return `▕${'█'.repeat(full)}${partial}${' '.repeat(width - full - (part ? 1 : 0))}▏`;
}

export interface ProgressView {
  update(p: ProgressState): void;
  /** Progress of a task counted in items (e.g. conversations re-run): `label done/of unit`. */
  count(label: string, done: number, of: number, unit: string): void;
  /** A line of its own (kept above the live line on a terminal). */
  note(line: string): void;
  /** Ends the live line. */
  done(): void;
}

export function progressView(stream: NodeJS.WriteStream): ProgressView {
  return stream.isTTY ? liveView(stream) : plainView(stream);
}

function liveView(stream: NodeJS.WriteStream): ProgressView {
  let shown = false;
  let lastDraw = 0;
  let lastMetrics: StepMetrics | undefined; // shown between steps, while the next one runs
  const clear = () => {
    if (shown) stream.write('\r\x1b[2K');
    shown = false;
  };
  const draw = (line: string) => {
    const cols = stream.columns || 120;
    clear();
    stream.write(line.length > cols - 1 ? line.slice(0, cols - 2) + '…' : line);
    shown = true;
  };
  return {
    count(label, done, of, unit) {
      const now = Date.now();
      if (done < of && now - lastDraw < 80) return;
      lastDraw = now;
      draw(`${label.padEnd(14)} ${bar(done, of, 24)} ${done}/${of} ${unit}`);
    },
    update(given) {
      if (given.metrics) lastMetrics = given.metrics;
      const p = given.metrics || given.phase !== 'train' ? given : { ...given, metrics: lastMetrics };
      const now = Date.now();
      const stepDone = p.phase === 'train' && p.metrics && p.pairsDone === p.of;
      // At most ~12 redraws a second, but never skip the one that shows a step's metrics.
      if (!stepDone && now - lastDraw < 80) return;
      lastDraw = now;
      const [done, of] = p.phase === 'train' ? [p.step, p.totalSteps] : [p.pairsDone, p.of];
      const head = `${PHASE_LABEL[p.phase].padEnd(14)} ${bar(done, of, 24)} `;
      const tail = p.phase === 'train' ? progressFields(p) : `${p.pairsDone}/${p.of} pairs`;
      draw(head + tail);
    },
    note(line) {
      clear();
      stream.write(line + '\n');
    },
    done() {
      if (shown) stream.write('\n');
      shown = false;
    },
  };
}

function plainView(stream: NodeJS.WriteStream): ProgressView {
  let phase: TeachPhase | null = null;
  let lastStep = -1;
  let lastTenth = -1;
  return {
    count(label, done, of, unit) {
      // A line per tenth: a log shows it moving without a line per item.
      const tenth = of > 0 ? Math.floor((10 * done) / of) : 10;
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      stream.write(`${label} ${done}/${of} ${unit}\n`);
      if (done >= of) lastTenth = -1;
    },
    update(p) {
      if (p.phase !== phase) {
        phase = p.phase;
        const what = p.phase === 'train' ? `${p.totalSteps} optimizer steps` : `${p.of} pairs`;
        stream.write(`${PHASE_LABEL[p.phase]}: ${what}\n`);
      }
      if (p.phase === 'train' && p.metrics && p.pairsDone === p.of && p.step !== lastStep) {
        lastStep = p.step;
        stream.write(`  ${progressFields(p)}\n`);
      }
    },
    note(line) {
      stream.write(line + '\n');
    },
    done() {},
  };
}
