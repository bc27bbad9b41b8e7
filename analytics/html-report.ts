import { chartSvg } from './charts';
import { formatValue } from './format';
import type { Answers } from './queries';
import type { Answer } from './query-runner';
import type { Figure, Section } from './sections';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The numbers of a chart, so the page can be read, searched and copied without it. */
function answerTable(query: string, title: string, answer: Answer): string {
  const head = answer.columns.map((column) => `<th scope="col">${escapeHtml(column)}</th>`).join('');
  const body = answer.rows
    .map((row) => {
      const cells = answer.columns.map((column) => {
        const value = row[column] ?? null;
        const kind = typeof value === 'number' ? ' class="number"' : '';
        return `<td${kind}>${escapeHtml(formatValue(value))}</td>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  const empty =
    answer.rows.length === 0 ? `<tr><td colspan="${answer.columns.length}">no rows</td></tr>` : '';
  return `<table data-query="${query}"><caption>${escapeHtml(title)}</caption>
<thead><tr>${head}</tr></thead>
<tbody>${body}${empty}</tbody></table>`;
}

async function figureHtml(figure: Figure, answers: Answers): Promise<string> {
  const table = answerTable(figure.query, figure.title, answers[figure.query]);
  if (!figure.chart) return `<div class="figure table-only">${table}</div>`;
  const svg = await chartSvg(figure.chart);
  return `<figure class="figure" data-chart="${figure.query}">
<div class="chart" role="img" aria-label="${escapeHtml(figure.title)}">${svg}</div>
${table}
</figure>`;
}

const STYLE = `
:root { color-scheme: light dark; --fg: #1d1d1f; --bg: #fff; --muted: #5f6368; --rule: #d0d4da; --panel: #f6f7f9; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e8eaed; --bg: #16181c; --muted: #a0a6ad; --rule: #3a3f46; --panel: #1f2227; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 2rem 1.5rem 4rem; color: var(--fg); background: var(--bg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
header p, .note { color: var(--muted); max-width: 75ch; }
h1 { margin-bottom: 0.2rem; }
h2 { margin-top: 2.5rem; border-bottom: 1px solid var(--rule); padding-bottom: 0.3rem; }
.figure { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; margin: 1.2rem 0;
  padding: 1rem; background: var(--panel); border-radius: 8px; }
.chart { flex: 0 1 auto; color: var(--fg); }
.chart svg { max-width: 100%; height: auto; display: block; }
table { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.3rem; white-space: nowrap; }
th, td { padding: 0.2rem 0.6rem; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
td.number { text-align: right; }
@media print {
  :root { --fg: #000; --bg: #fff; --muted: #333; --rule: #999; --panel: #fff; }
  body { max-width: none; padding: 0; font-size: 11pt; }
  .figure { break-inside: avoid; padding: 0; }
  h2 { break-after: avoid; }
}`;

export interface ReportContext {
  /** Where the answers came from, as a person would name it. */
  readonly source: string;
  readonly generatedAt: Date;
}

/** One self-contained page: inline CSS and SVG, no script, nothing fetched when it opens. */
export async function reportHtml(
  sections: readonly Section[],
  answers: Answers,
  context: ReportContext,
): Promise<string> {
  const parts = await Promise.all(
    sections.map(async (section) => {
      const notes = section.notes.map((note) => `<p class="note">${escapeHtml(note)}</p>`).join('\n');
      const figures = await Promise.all(section.figures.map((figure) => figureHtml(figure, answers)));
      return `<section id="${section.id}">
<h2>${escapeHtml(section.heading)}</h2>
${notes}
${figures.join('\n')}
</section>`;
    }),
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Sparkify analytics</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Sparkify analytics</h1>
<p>From ${escapeHtml(context.source)}, ${escapeHtml(context.generatedAt.toISOString().replace('T', ' ').slice(0, 19))} UTC. Every chart’s numbers are in the table beside it.</p>
</header>
${parts.join('\n')}
</body>
</html>
`;
}
