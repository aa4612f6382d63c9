// The training plot is deterministic text: same metrics, same bytes.
import { describe, expect, it } from 'vitest';
import { teachPlotSvg } from './teach-plot.ts';

const metrics = Array.from({ length: 12 }, (_, step) => ({
  step,
  loss: Math.LN2 * Math.exp(-step / 5),
  rewardMargin: step * 0.37 - 0.2,
}));

describe('teachPlotSvg', () => {
  it('draws both curves with every step, the base lines, and is the same bytes every time', () => {
    const a = teachPlotSvg(metrics, { title: 'stories15M <v1> & "pairs"' });
    expect(teachPlotSvg(metrics, { title: 'stories15M <v1> & "pairs"' })).toBe(a);
    expect(a.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const polylines = [...a.matchAll(/<polyline points="([^"]+)"/g)].map((m) => m[1]!.split(' ').length);
    expect(polylines).toEqual([12, 12]);
    expect(a).toContain('base: log 2');
    expect(a).toContain('base: 0');
    expect(a).toContain('stories15M &#60;v1&#62; &#38; &#34;pairs&#34;');
    expect(a).not.toMatch(/NaN|undefined|Infinity/);
    expect(a).toContain('(last 3.87)'); // the last reward margin, 11 * 0.37 - 0.2
  });

  it('one step and no steps', () => {
    expect(teachPlotSvg(metrics.slice(0, 1))).toContain('<circle');
    expect(teachPlotSvg([])).toContain('no optimizer steps yet');
  });
});
