const MS_PER_DAY = 86_400_000;
/** The furthest from 1970 a JavaScript Date, and so a loaded TIMESTAMP here, may be. */
const MAX_EPOCH_MS = 8.64e15;

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/**
 * Epoch milliseconds as TIMESTAMP text to the millisecond (`2018-11-01 21:01:46.796`), exactly as
 * Date's ISO text without its T and Z, or undefined when no Date can hold it. The date part is
 * reused while values stay within one day, as a log file's do: formatting a whole Date per row
 * was most of the cost of loading an event.
 */
export function epochMsFormatter(): (epochMs: number) => string | undefined {
  let day = Number.NaN;
  let datePart = '';
  return (epochMs) => {
    // A Date drops the fraction of a millisecond toward zero.
    const ms = Math.trunc(epochMs);
    if (!(Math.abs(ms) <= MAX_EPOCH_MS)) return undefined;
    const msDay = Math.floor(ms / MS_PER_DAY);
    if (msDay !== day) {
      const iso = new Date(msDay * MS_PER_DAY).toISOString();
      day = msDay;
      datePart = `${iso.slice(0, iso.indexOf('T'))} `;
    }
    const inDay = ms - msDay * MS_PER_DAY;
    const seconds = Math.floor(inDay / 1000);
    return `${datePart}${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}.${pad3(inDay % 1000)}`;
  };
}
