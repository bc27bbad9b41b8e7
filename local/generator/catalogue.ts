import { formatSongRecord, jsonNumber, jsonString, type SongRecord } from './json';
import type { Rng } from './rng';
import {
  ARTIST_ADJECTIVES,
  ARTIST_NOUNS,
  ARTIST_PLACES,
  ARTIST_PLACES_WITHOUT_COORDINATES,
  ARTIST_SINGLE_NAMES,
  COMMON_TITLES,
  FEMALE_FIRST_NAMES,
  LAST_NAMES,
  MALE_FIRST_NAMES,
  TITLE_JOINERS,
  TITLE_SUFFIXES,
  TITLE_WORDS,
} from './vocabulary';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HEX = '0123456789ABCDEF';

interface Place {
  location: string;
  latitude: number | null;
  longitude: number | null;
}

const NO_PLACE: Place = { location: '', latitude: null, longitude: null };

interface Artist {
  id: string;
  name: string;
  place: Place;
}

/** What a NextSong event says about the song played: pre-serialised `artist`, `song` and `length`. */
export interface Play {
  readonly artistJson: string;
  readonly titleJson: string;
  readonly duration: number;
  readonly lengthText: string;
}

/** A catalogue song: its S3 object and what a play of it looks like in the logs. */
export interface Song extends Play {
  readonly trackId: string;
  readonly record: SongRecord;
}

/** The songs that make the catalogue traps; null where the catalogue is too small to hold them. */
export interface CatalogueTraps {
  /** Same title and artist (same artist_id) as `duplicateB`, another duration and song_id. */
  readonly duplicateA: Song | null;
  readonly duplicateB: Song | null;
  /** Same title as the duplicates, by another artist. */
  readonly sameTitleOtherArtist: Song | null;
  /** A third song of the duplicates' artist, with yet another location and coordinates. */
  readonly artistVariant: Song | null;
}

export interface Catalogue {
  /** The song files, in a seeded random order (which is also their popularity rank). */
  readonly songs: readonly Song[];
  /** Songs that are played but have no song file (plays that match nothing). */
  readonly unlisted: readonly Play[];
  readonly artistCount: number;
  readonly traps: CatalogueTraps;
}

/** The song path under the data set root: song_data/A/B/C/TRABC….json (3rd, 4th, 5th characters). */
export function songKey(trackId: string): string {
  return `song_data/${trackId[2]}/${trackId[3]}/${trackId[4]}/${trackId}.json`;
}

function round5(x: number): number {
  return Math.round(x * 1e5) / 1e5;
}

/** A standard normal variate (Box-Muller). */
function gaussian(rng: Rng): number {
  const u = 1 - rng.float(); // (0, 1]
  const v = rng.float();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Builds the song catalogue: `count` songs with unique ids, about 9 in 10 by an artist of their own,
 * plus the trap songs (see CatalogueTraps) and a pool of unlisted songs (a third of the catalogue's
 * size, at least 10) played in the logs but absent from song_data.
 */
export function buildCatalogue(rng: Rng, count: number): Catalogue {
  const ids = new Set<string>();
  const artistNames = new Set<string>();
  const artists: Artist[] = [];
  /** "artist name \0 title" of every catalogue song: what the logs can match on. */
  const listedPairs = new Set<string>();

  const uniqueId = (make: () => string): string => {
    for (;;) {
      const id = make();
      if (!ids.has(id)) {
        ids.add(id);
        return id;
      }
    }
  };
  const trackId = () => uniqueId(() => 'TRA' + rng.chars(UPPER, 4) + '128' + rng.chars(HEX, 8));
  const songId = () => uniqueId(() => 'SO' + rng.chars(UPPER, 5) + '12A' + rng.chars(HEX, 8));
  const artistId = () => uniqueId(() => 'AR' + rng.chars(UPPER_DIGITS, 5) + '1187' + rng.chars(HEX, 7));

  const personName = () =>
    `${rng.pick(rng.chance(0.5) ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
  const bandName = () => `${rng.pick(ARTIST_ADJECTIVES)} ${rng.pick(ARTIST_NOUNS)}`;
  const candidateName = (): string => {
    const r = rng.float();
    if (r < 0.35) return personName();
    if (r < 0.6) return `The ${bandName()}`;
    if (r < 0.75) return bandName();
    if (r < 0.88) return rng.pick(ARTIST_SINGLE_NAMES);
    if (r < 0.94) return `${personName()} & The ${rng.pick(ARTIST_NOUNS)}`;
    return `${personName()} / ${rng.pick(ARTIST_SINGLE_NAMES)}`;
  };
  const uniqueArtistName = (): string => {
    let name = candidateName();
    for (let i = 2; artistNames.has(name); i++) name = i < 12 ? candidateName() : `${candidateName()} ${i}`;
    artistNames.add(name);
    return name;
  };
  const randomPlace = (): Place => {
    const r = rng.float();
    if (r < 0.45) return NO_PLACE;
    if (r < 0.8) return { ...rng.pick(ARTIST_PLACES) };
    if (r < 0.9) return { location: rng.pick(ARTIST_PLACES).location, latitude: null, longitude: null };
    return { location: rng.pick(ARTIST_PLACES_WITHOUT_COORDINATES), latitude: null, longitude: null };
  };
  const newArtist = (place: Place = randomPlace()): Artist => {
    const artist = { id: artistId(), name: uniqueArtistName(), place };
    artists.push(artist);
    return artist;
  };

  const word = () => rng.pick(TITLE_WORDS);
  const randomTitle = (): string => {
    if (rng.chance(0.05)) return rng.pick(COMMON_TITLES) + (rng.chance(0.2) ? rng.pick(TITLE_SUFFIXES) : '');
    const r = rng.float();
    let title: string;
    if (r < 0.2) title = word();
    else if (r < 0.55) title = `${word()} ${word()}`;
    else if (r < 0.85) title = `${word()} ${rng.pick(TITLE_JOINERS)} ${word()}`;
    else if (r < 0.93)
      title = `${rng.pick(["Don't", "Can't", "I'll", "We're", 'Never', 'Just'])} ${word()} ${word()}`;
    else title = `The ${word()} ${rng.pick(TITLE_JOINERS)} ${word()}`;
    return rng.chance(0.15) ? title + rng.pick(TITLE_SUFFIXES) : title;
  };
  const pairKey = (artistName: string, title: string) => `${artistName}\u0000${title}`;
  /** A title this artist has no song under yet (in the catalogue, or also among unlisted songs). */
  const freshTitle = (artist: Artist, taken: Set<string>): string => {
    let title = randomTitle();
    for (let i = 2; taken.has(pairKey(artist.name, title)); i++)
      title = i < 12 ? randomTitle() : `${randomTitle()} (Part ${i})`;
    return title;
  };
  const randomDuration = () =>
    round5(Math.min(1500, Math.max(12, Math.exp(Math.log(235) + 0.35 * gaussian(rng)))));
  const randomYear = (): number => {
    if (rng.chance(0.3)) return 0;
    const decade = [1950, 1960, 1970, 1980, 1990, 2000][rng.weighted([0.5, 2, 4, 7, 25, 61])] as number;
    return rng.chance(0.02) ? 2010 : decade + rng.int(0, 9);
  };

  const songs: Song[] = [];
  const addSong = (artist: Artist, title: string, place: Place, duration = randomDuration()): Song => {
    listedPairs.add(pairKey(artist.name, title));
    const record: SongRecord = {
      artist_id: artist.id,
      artist_latitude: place.latitude,
      artist_location: place.location,
      artist_longitude: place.longitude,
      artist_name: artist.name,
      duration,
      num_songs: 1,
      song_id: songId(),
      title,
      year: randomYear(),
    };
    const song: Song = {
      trackId: trackId(),
      record,
      artistJson: jsonString(artist.name),
      titleJson: jsonString(title),
      duration,
      lengthText: jsonNumber(duration),
    };
    songs.push(song);
    return song;
  };

  // The trap songs come first (see CatalogueTraps), as many as `count` allows.
  const trapArtist = newArtist({ ...rng.pick(ARTIST_PLACES) });
  const trapTitle = freshTitle(trapArtist, listedPairs);
  const duplicateA = count >= 1 ? addSong(trapArtist, trapTitle, trapArtist.place) : null;
  const duplicateB =
    duplicateA && count >= 2
      ? addSong(trapArtist, trapTitle, NO_PLACE, round5(duplicateA.duration + rng.int(3, 40) + rng.float()))
      : null;
  const sameTitleOtherArtist = count >= 3 ? addSong(newArtist(), trapTitle, randomPlace()) : null;
  const variantPlace: Place = {
    location: trapArtist.place.location.split(',')[0] ?? '',
    latitude: round5((trapArtist.place.latitude ?? 0) + 0.01 + rng.float() * 0.4),
    longitude: round5((trapArtist.place.longitude ?? 0) - 0.01 - rng.float() * 0.4),
  };
  const artistVariant =
    count >= 4 ? addSong(trapArtist, freshTitle(trapArtist, listedPairs), variantPlace) : null;

  while (songs.length < count) {
    // About 1 song in 8 is by an artist that already has one; such a song keeps the artist's place
    // 6 times in 7, and otherwise disagrees with it, as the Million Song Dataset often does.
    const reuse = artists.length > 1 && rng.chance(0.12);
    const artist = reuse ? rng.pick(artists) : newArtist();
    const place = reuse && rng.chance(1 / 7) ? randomPlace() : artist.place;
    addSong(artist, freshTitle(artist, listedPairs), place);
  }

  // Unlisted songs: some by catalogue artists (under a title the catalogue lacks), most by artists
  // the catalogue does not know.
  const unlisted: Play[] = [];
  const catalogueArtists = artists.slice();
  const unlistedCount = Math.max(10, Math.ceil(count / 3));
  const unlistedPairs = new Set(listedPairs);
  for (let i = 0; i < unlistedCount; i++) {
    const artist = rng.chance(0.4) ? rng.pick(catalogueArtists) : newArtist();
    const title = freshTitle(artist, unlistedPairs);
    unlistedPairs.add(pairKey(artist.name, title));
    const duration = randomDuration();
    unlisted.push({
      artistJson: jsonString(artist.name),
      titleJson: jsonString(title),
      duration,
      lengthText: jsonNumber(duration),
    });
  }

  // Popularity follows position, so shuffle the trap songs in among the others.
  for (let i = songs.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const t = songs[i] as Song;
    songs[i] = songs[j] as Song;
    songs[j] = t;
  }

  return {
    songs,
    unlisted,
    artistCount: new Set(songs.map((s) => s.record.artist_id)).size,
    traps: { duplicateA, duplicateB, sameTitleOtherArtist, artistVariant },
  };
}

/** The bytes of a song's S3 object. */
export function songFileContent(song: Song): string {
  return formatSongRecord(song.record);
}
