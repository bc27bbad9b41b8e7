import { PIPELINE_STEPS } from '../contract/steps';
import { formatDuration } from '../local/cli/report';
import type { BenchResults } from './report';

// A horizontal bar per engine for each step: the steps' shares of a run are what a reader compares.
const ROW_HEIGHT = 18;
const GROUP_GAP = 10;
const LABEL_WIDTH = 120;
const BAR_WIDTH = 480;
const VALUE_WIDTH = 80;
const COLOURS = ['#4e79a7', '#f28e2b', '#59a14f'];

const escapeXml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** An SVG bar chart of each step's time on each engine, plus the whole execution. */
export function stepChart(results: BenchResults): string {
  const runs = results.fullRuns;
  const groups = [
    ...PIPELINE_STEPS.map((step) => ({ label: step, values: runs.map((run) => run.steps[step] ?? 0) })),
    { label: 'execution', values: runs.map((run) => run.executionMs) },
  ];
  const longest = Math.max(1, ...groups.flatMap((group) => group.values));
  const groupHeight = runs.length * ROW_HEIGHT + GROUP_GAP;
  const top = 40;
  const legendY = top + groups.length * groupHeight + 10;
  const height = legendY + runs.length * ROW_HEIGHT + 10;
  const width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH;
  const title = `Step times, ${results.events.toLocaleString('en-US')} events (full run)`;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="22" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  groups.forEach((group, g) => {
    const groupTop = top + g * groupHeight;
    parts.push(
      `<text x="10" y="${groupTop + (runs.length * ROW_HEIGHT) / 2 + 4}">${escapeXml(group.label)}</text>`,
    );
    group.values.forEach((ms, r) => {
      const y = groupTop + r * ROW_HEIGHT;
      const barWidth = Math.max(1, (ms / longest) * BAR_WIDTH);
      parts.push(
        `<rect x="${LABEL_WIDTH}" y="${y + 2}" width="${barWidth.toFixed(1)}" height="${ROW_HEIGHT - 4}" fill="${COLOURS[r % COLOURS.length]}"/>`,
        `<text x="${(LABEL_WIDTH + barWidth + 4).toFixed(1)}" y="${y + ROW_HEIGHT - 5}">${escapeXml(formatDuration(ms))}</text>`,
      );
    });
  });
  runs.forEach((run, r) => {
    const y = legendY + r * ROW_HEIGHT;
    parts.push(
      `<rect x="${LABEL_WIDTH}" y="${y + 2}" width="12" height="12" fill="${COLOURS[r % COLOURS.length]}"/>`,
      `<text x="${LABEL_WIDTH + 18}" y="${y + 12}">${escapeXml(run.description)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
