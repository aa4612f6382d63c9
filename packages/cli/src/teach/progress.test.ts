import { describe, expect, it } from 'vitest';
import type { StepMetrics } from '@tt/llm';
import { bar, formatDuration, progressFields, progressView, type ProgressState } from './progress.ts';

const metrics = (step: number, loss: number): StepMetrics => ({
  step,
  epoch: 0,
  loss,
  accuracy: 0.75,
  chosenReward: 0.02,
  rejectedReward: -0.01,
  rewardMargin: 0.0312,
  chosenLogp: -40,
  rejectedLogp: -44,
  gradNorm: 2,
  learningRate: 5e-5,
  tokens: 120,
  pairs: 4,
});

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  const stream = { isTTY, columns: 200, write: (s: string) => writes.push(s) > 0 };
  return { stream: stream as unknown as NodeJS.WriteStream, writes };
}

const trainState = (step: number, pairsDone: number, m?: StepMetrics): ProgressState => ({
  phase: 'train',
  step,
  totalSteps: 10,
  pairsDone,
  of: 4,
  ...(m ? { metrics: m } : {}),
  tokensPerSecond: 812.4,
  etaSeconds: 75,
});

describe('the training progress', () => {
  it('formats durations, bars and the numbers of a step', () => {
    expect([formatDuration(0), formatDuration(75.4), formatDuration(3725), formatDuration(null)]).toEqual([
      '0:00',
      '1:15',
      '1:02:05',
      '?',
    ]);
    expect(bar(0, 4, 4)).toBe('▕    ▏');
    expect(bar(2, 4, 4)).toBe('▕██  ▏');
    expect(bar(4, 4, 4)).toBe('▕████▏');
    expect(bar(1, 8, 1)).toBe('▕▏▏');
    expect(progressFields(trainState(3, 4, metrics(2, 0.6712)))).toBe(
      'step 3/10 · loss 0.6712 · acc 75% · margin +0.0312 · 812 tok/s · ETA 1:15',
    );
  });

  it('writes a plain line per phase and per step where there is no terminal', () => {
    const { stream, writes } = fakeStream(false);
    const view = progressView(stream);
    view.count('re-running', 1, 2, 'conversations');
    view.count('re-running', 2, 2, 'conversations');
    view.update({
      phase: 'reference',
      step: 0,
      totalSteps: 10,
      pairsDone: 1,
      of: 8,
      tokensPerSecond: 0,
      etaSeconds: null,
    });
    view.update(trainState(0, 1));
    view.update(trainState(1, 4, metrics(0, 0.6931)));
    view.update(trainState(1, 1));
    view.update(trainState(2, 4, metrics(1, 0.65)));
    view.done();
    expect(writes.join('')).toBe(
      [
        're-running 1/2 conversations',
        're-running 2/2 conversations',
        'base log-probs: 8 pairs',
        'training: 10 optimizer steps',
        '  step 1/10 · loss 0.6931 · acc 75% · margin +0.0312 · 812 tok/s · ETA 1:15',
        '  step 2/10 · loss 0.6500 · acc 75% · margin +0.0312 · 812 tok/s · ETA 1:15',
        '',
      ].join('\n'),
    );
  });

  it('redraws one line in place on a terminal, keeping the last step’s numbers between steps', () => {
    const { stream, writes } = fakeStream(true);
    const view = progressView(stream);
    view.update(trainState(1, 4, metrics(0, 0.6931)));
    view.update(trainState(2, 4, metrics(1, 0.5)));
    view.note('a note');
    view.update(trainState(3, 4, metrics(2, 0.4)));
    view.done();
    const text = writes.join('');
    expect(text).not.toContain('\n  step'); // no scrolling lines
    expect(text).toContain('\r\x1b[2Ktraining       ▕');
    expect(text).toContain('step 2/10 · loss 0.5000');
    expect(text).toContain('\r\x1b[2Ka note\n');
    expect(text.endsWith('step 3/10 · loss 0.4000 · acc 75% · margin +0.0312 · 812 tok/s · ETA 1:15\n')).toBe(
      true,
    );
  });
});
