import type { TopLevelSpec } from 'vega-lite';
import { formatPercent, formatValue } from './format';
import type { Answers, QueryName } from './queries';
import type { Answer, Row } from './query-runner';

/** One answer on the page: its numbers as a table, drawn as a chart when a chart helps. */
export interface Figure {
  readonly query: QueryName;
  readonly title: string;
  readonly chart?: TopLevelSpec;
}

export interface Section {
  readonly id: string;
  readonly heading: string;
  readonly notes: readonly string[];
  readonly figures: readonly Figure[];
}

const WIDTH = 420;
const HEIGHT = 220;
const PLAYS_AXIS = { title: 'plays (count)' };

const values = (rows: readonly Row[]) => ({ values: rows.map((row) => ({ ...row })) });

/** Horizontal bars, longest first: a top-10 list reads down like its table. */
function ranking(title: string, rows: readonly Row[], label: string, labelTitle: string): TopLevelSpec {
  return {
    title,
    width: WIDTH,
    height: { step: 20 },
    data: values(rows),
    mark: 'bar',
    encoding: {
      y: { field: label, type: 'nominal', sort: null, title: labelTitle },
      x: { field: 'plays', type: 'quantitative', axis: PLAYS_AXIS },
    },
  };
}

const numberOf = (row: Row | undefined, column: string): number => Number(row?.[column] ?? 0);

/** Section 8's words: how many plays match the catalogue, plainly, and why so few on the real data. */
export function catalogueNotes(catalogueMatch: Answer): string[] {
  const match = catalogueMatch.rows[0];
  const plays = numberOf(match, 'plays');
  const matched = numberOf(match, 'matched_plays');
  const catalogue = numberOf(match, 'catalogue_songs');
  const share = `${formatValue(matched)} of ${formatValue(plays)} plays (${formatPercent(matched, plays)}) match a song in the catalogue of ${formatValue(catalogue)} songs.`;
  const why =
    'A play names its song only by title and artist name, and matches a catalogue song only when both are equal. ' +
    'The catalogue is a subset of the Million Song Dataset, not of what people play, so on the real data most plays find no song. ' +
    'Those plays are kept with no song_id and artist_id: they count in every chart of this report except the top songs and artists, which can only rank matched plays.';
  const staged =
    'songplays keeps no title or artist, so the unmatched pairs are read from the events the last run staged: after an incremental run, its days only.';
  return [plays > 0 && matched * 2 < plays ? `Only ${share}` : share, why, staged];
}

function lastRunNote(answers: Answers): string {
  const run = answers.last_run.rows[0];
  if (!run) return 'No run has finished yet.';
  const range =
    run.range_from === null ? '' : ` for ${formatValue(run.range_from)} to ${formatValue(run.range_to)}`;
  const songs = run.songs_reloaded === true ? ', songs reloaded' : '';
  return `The last run to finish, ${formatValue(run.run_id)}, ended ${formatValue(run.status)} at ${formatValue(run.finished_at)} UTC: a ${formatValue(run.mode)} run${range}${songs}.`;
}

/** What the report shows, section by section, from the warehouse's answers. */
export function reportSections(answers: Answers): Section[] {
  return [
    {
      id: 'tables',
      heading: '1. Tables and the last run',
      notes: [lastRunNote(answers)],
      figures: [
        { query: 'row_counts', title: 'Rows per table' },
        { query: 'last_run', title: 'Last finished run (etl_runs)' },
      ],
    },
    {
      id: 'hour',
      heading: '2. Plays by hour of day',
      notes: ['Hours are UTC, as the time dimension stores them.'],
      figures: [
        {
          query: 'plays_by_hour',
          title: 'Plays by hour of day',
          chart: {
            title: 'Plays by hour of day (UTC)',
            width: WIDTH,
            height: HEIGHT,
            data: values(answers.plays_by_hour.rows),
            mark: 'bar',
            encoding: {
              x: {
                field: 'hour',
                type: 'ordinal',
                title: 'hour of day (UTC, 0–23)',
                axis: { labelAngle: 0 },
              },
              y: { field: 'plays', type: 'quantitative', axis: PLAYS_AXIS },
            },
          },
        },
      ],
    },
    {
      id: 'weekday',
      heading: '3. Plays by weekday, free against paid',
      notes: ['Each play counts at the level the user had when playing.'],
      figures: [
        {
          query: 'plays_by_weekday',
          title: 'Plays by weekday and level',
          chart: {
            title: 'Plays by weekday, free against paid',
            width: WIDTH,
            height: HEIGHT,
            data: values(answers.plays_by_weekday.rows),
            mark: 'bar',
            encoding: {
              x: {
                field: 'day_name',
                type: 'ordinal',
                sort: { field: 'weekday' },
                title: 'weekday (UTC)',
                axis: { labelAngle: 0 },
              },
              xOffset: { field: 'level' },
              y: { field: 'plays', type: 'quantitative', axis: PLAYS_AXIS },
              color: { field: 'level', type: 'nominal', title: 'level' },
            },
          },
        },
      ],
    },
    {
      id: 'daily',
      heading: '4. Daily plays',
      notes: ['Days are UTC; a day without plays has no row.'],
      figures: [
        {
          query: 'daily_plays',
          title: 'Plays per day',
          chart: {
            title: 'Plays per day over the loaded range',
            width: WIDTH,
            height: HEIGHT,
            data: values(answers.daily_plays.rows),
            mark: { type: 'line', point: true },
            encoding: {
              x: {
                field: 'day',
                type: 'temporal',
                timeUnit: 'utcyearmonthdate',
                title: 'day (UTC)',
                axis: { format: '%b %d', labelAngle: -45 },
              },
              y: { field: 'plays', type: 'quantitative', axis: PLAYS_AXIS },
            },
          },
        },
      ],
    },
    {
      id: 'top',
      heading: '5. Top songs and artists',
      notes: ['Only plays matched to the catalogue have a song and an artist (see section 8).'],
      figures: [
        {
          query: 'top_songs',
          title: 'Top 10 songs by plays',
          chart: ranking(
            'Top 10 songs by plays',
            answers.top_songs.rows.map((row) => ({ ...row, song: `${row.title} — ${row.artist}` })),
            'song',
            'song — artist',
          ),
        },
        {
          query: 'top_artists',
          title: 'Top 10 artists by plays',
          chart: ranking('Top 10 artists by plays', answers.top_artists.rows, 'artist', 'artist'),
        },
      ],
    },
    {
      id: 'locations',
      heading: '6. Top locations',
      notes: ['The location the app reported for the user at the time of the play.'],
      figures: [
        {
          query: 'top_locations',
          title: 'Top 10 locations by plays',
          chart: ranking('Top 10 locations by plays', answers.top_locations.rows, 'location', 'location'),
        },
      ],
    },
    {
      id: 'users',
      heading: '7. Users by level and gender',
      notes: [
        'Level is each user’s latest. A move between levels is read from the plays, each of which carries the level of its time.',
      ],
      figures: [
        {
          query: 'users_by_level',
          title: 'Users by level and gender',
          chart: {
            title: 'Users by level and gender',
            width: WIDTH,
            height: HEIGHT,
            data: values(
              answers.users_by_level.rows.map((row) => ({ ...row, gender: row.gender ?? 'unknown' })),
            ),
            mark: 'bar',
            encoding: {
              x: { field: 'level', type: 'nominal', title: 'level (latest)', axis: { labelAngle: 0 } },
              y: { field: 'users', type: 'quantitative', title: 'users (count)' },
              color: { field: 'gender', type: 'nominal', title: 'gender' },
            },
          },
        },
        { query: 'level_changes', title: 'Users who moved between levels' },
      ],
    },
    {
      id: 'catalogue',
      heading: '8. Plays matched to the song catalogue',
      notes: catalogueNotes(answers.catalogue_match),
      figures: [
        {
          query: 'catalogue_match',
          title: 'Plays matched to a catalogue song',
          chart: {
            title: 'Plays matched to a catalogue song',
            width: WIDTH,
            height: { step: 28 },
            data: values(answers.catalogue_match.rows),
            transform: [
              { fold: ['matched_plays', 'unmatched_plays'], as: ['match', 'plays'] },
              {
                calculate: "datum.match === 'matched_plays' ? 'matched' : 'not in the catalogue'",
                as: 'match',
              },
            ],
            mark: 'bar',
            encoding: {
              y: { field: 'match', type: 'nominal', title: null, sort: null },
              x: { field: 'plays', type: 'quantitative', axis: PLAYS_AXIS },
              color: { field: 'match', type: 'nominal', legend: null },
            },
          },
        },
        {
          query: 'top_unmatched',
          title: 'Top 10 unmatched (title, artist) pairs',
          chart: ranking(
            'Top 10 unmatched songs by plays',
            answers.top_unmatched.rows.map((row) => ({ ...row, song: `${row.title} — ${row.artist}` })),
            'song',
            'title — artist (as played)',
          ),
        },
      ],
    },
  ];
}
