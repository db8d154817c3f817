import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const height = 240;
const ink = '#1f4e79';

/** A uPlot chart that follows its container's width. */
function Plot(props: { options: (width: number) => uPlot.Options; data: uPlot.AlignedData; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  // Redrawn when what it shows changes, not on every render (options and data are new each time).
  const drawn = `${props.label}\n${JSON.stringify(props.data)}`;
  useEffect(() => {
    const element = box.current;
    if (element === null) return;
    const chart = new uPlot(props.options(element.clientWidth || 320), props.data, element);
    const observer = new ResizeObserver(() => chart.setSize({ width: element.clientWidth || 320, height }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.destroy();
    };
  }, [drawn]);
  return <div class="plot" ref={box} role="img" aria-label={props.label} />;
}

/** Bars over named categories (grades, score bands). */
export function BarChart(props: { title: string; labels: string[]; values: number[]; unit: string }) {
  const { labels, values, unit } = props;
  const xs = labels.map((_, i) => i);
  const options = (width: number): uPlot.Options => ({
    width,
    height,
    legend: { show: false },
    cursor: { show: false },
    scales: {
      x: { time: false, range: [-0.5, labels.length - 0.5] },
      y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
    },
    axes: [
      { splits: () => xs, values: (_u, splits) => splits.map((i) => labels[i] ?? ''), grid: { show: false } },
      { label: unit, values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : '')) },
    ],
    series: [
      {},
      {
        label: unit,
        fill: ink,
        stroke: ink,
        paths: uPlot.paths.bars!({ size: [0.7, 64] }),
        points: { show: false },
      },
    ],
  });
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <Plot
        options={options}
        data={[xs, values]}
        label={`${props.title}: ${labels.map((l, i) => `${l} ${values[i]}`).join(', ')}`}
      />
    </figure>
  );
}

const axisFont = '12px system-ui, sans-serif';
const tickGap = 16;

let measurer: CanvasRenderingContext2D | null | undefined;
/** The width of a tick label as the axis draws it (the same font, on a canvas of our own). */
function labelWidth(text: string): number {
  measurer ??= document.createElement('canvas').getContext('2d');
  if (measurer === null) return text.length * 8;
  measurer.font = axisFont;
  return measurer.measureText(text).width;
}

/**
 * Round ticks over [lo, hi) spaced so that no two labels meet at `px` wide: the smallest step of
 * 1, 2 or 5 times a power of ten whose labels are a gap apart.
 */
export function scoreTicks(lo: number, hi: number, px: number): number[] {
  const widest = Math.max(labelWidth(String(lo)), labelWidth(String(hi)));
  const perUnit = px / Math.max(1, hi - lo);
  for (let power = 1; power <= 1e9; power *= 10) {
    for (const step of [power, 2 * power, 5 * power]) {
      if (step * perUnit < widest + tickGap) continue;
      const ticks: number[] = [];
      for (let v = Math.ceil(lo / step) * step; v <= hi; v += step) ticks.push(v);
      return ticks;
    }
  }
  return [lo];
}

export interface Band {
  min: number;
  max: number;
  count: number;
}

/**
 * A histogram over a linear score axis: one bar per band, the empty ones too (a gap in the bars
 * is a gap in the scores), ticks at round scores spaced to fit the width. The ticks drawn are
 * published on the chart (`data-ticks`: label and x position) for tests to check.
 */
export function Histogram(props: { title: string; bands: Band[]; unit: string; axis: string }) {
  const { bands } = props;
  const lo = bands[0]?.min ?? 0;
  const hi = (bands.at(-1)?.max ?? lo) + 1;
  const xs = bands.map((b) => (b.min + b.max + 1) / 2);
  const options = (width: number): uPlot.Options => {
    let drawn: number[] = [];
    return {
      width,
      height,
      legend: { show: false },
      cursor: { show: false },
      scales: {
        x: { time: false, range: [lo, hi] },
        y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
      },
      axes: [
        {
          label: props.axis,
          font: axisFont,
          grid: { show: false },
          splits: (u) => {
            drawn = scoreTicks(lo, hi, u.bbox.width / uPlot.pxRatio);
            return drawn;
          },
          values: (_u, splits) => splits.map(String),
        },
        {
          label: props.unit,
          values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : '')),
        },
      ],
      series: [
        {},
        {
          label: props.unit,
          fill: ink,
          stroke: ink,
          paths: uPlot.paths.bars!({ size: [0.9, Number.POSITIVE_INFINITY] }),
          points: { show: false },
        },
      ],
      hooks: {
        draw: [
          (u) => {
            u.root.dataset.ticks = JSON.stringify(
              drawn.map((v) => ({ label: String(v), x: u.valToPos(v, 'x'), width: labelWidth(String(v)) })),
            );
          },
        ],
      },
    };
  };
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <Plot
        options={options}
        data={[xs, bands.map((b) => b.count)]}
        label={`${props.title}: ${bands.map((b) => `${b.min}–${b.max}: ${b.count}`).join(', ')}`}
      />
    </figure>
  );
}

/** A value over time, drawn as steps (a score holds until the next change). */
export function StepChart(props: { title: string; times: number[]; values: number[]; unit: string }) {
  const options = (width: number): uPlot.Options => ({
    width,
    height,
    legend: { show: false },
    scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.max(0, min - 50), max + 50] } },
    axes: [{}, { label: props.unit }],
    series: [{}, { label: props.unit, stroke: ink, width: 2, paths: uPlot.paths.stepped!({ align: 1 }) }],
  });
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <Plot options={options} data={[props.times, props.values]} label={stepSummary(props)} />
    </figure>
  );
}

/** What a step chart shows, in words, for those who cannot see it: its ends and its range. */
function stepSummary(props: { title: string; values: number[]; unit: string }): string {
  const { title, values, unit } = props;
  if (values.length === 0) return title;
  return `${title}: ${unit} from ${values[0]} to ${values.at(-1)}, lowest ${Math.min(...values)}, highest ${Math.max(...values)}`;
}
