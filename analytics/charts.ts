import { parse, View } from 'vega';
import { compile, type Config, type TopLevelSpec } from 'vega-lite';

/**
 * Text and axes take the page's colour (currentColor) and the background stays transparent, so
 * one SVG reads in light mode, dark mode and print.
 */
const CONFIG: Config = {
  background: 'transparent',
  font: 'system-ui, -apple-system, "Segoe UI", sans-serif',
  view: { stroke: null },
  title: { color: 'currentColor', fontSize: 14, anchor: 'start' },
  axis: {
    domainColor: 'currentColor',
    tickColor: 'currentColor',
    labelColor: 'currentColor',
    titleColor: 'currentColor',
    gridColor: '#8884',
    labelLimit: 220,
  },
  legend: { labelColor: 'currentColor', titleColor: 'currentColor' },
  range: { category: ['#4c78a8', '#f58518', '#54a24b', '#b279a2', '#9d755d'] },
};

/**
 * Draws a Vega-Lite chart to an SVG string now, with vega's headless renderer: the report then
 * holds finished drawings and needs no script, no canvas and no network to show them.
 */
export async function chartSvg(spec: TopLevelSpec): Promise<string> {
  const { spec: vegaSpec } = compile({ ...spec, config: CONFIG } as TopLevelSpec);
  const view = new View(parse(vegaSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
