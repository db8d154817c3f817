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
