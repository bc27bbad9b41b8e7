// Word lists for the synthetic data set. They are written for this generator (no record is taken
// from the Udacity bucket); only their style follows it: US metropolitan areas in the Census
// "City-City-City, ST-ST" form for users, 2014-era browser user agents, Million-Song-Dataset-like
// artist locations (free text, with or without coordinates) and song titles with version suffixes.

/** A list written as text: entries separated by `sep` (a space or '|'), line breaks ignored. */
function list(text: string, sep: ' ' | '|'): readonly string[] {
  return text
    .split(sep === ' ' ? /\s+/ : /\s*\|\s*/)
    .map((w) => w.trim())
    .filter((w) => w !== '');
}

export const FEMALE_FIRST_NAMES = list(
  `
  Abigail Addison Alexa Amara Anaya Aubree Bella Brielle Camila Cecily Daisy Delaney Eliana Elise
  Emery Fiona Gemma Hadley Harlow Imani Isla Jade Josie Kailey Kenzie Lainey Leah Lucia Mabel
  Mackenzie Nadia Noelle Paige Piper Quinn Reese Rosalie Sadie Serenity Talia Tessa Valeria Willa
  Zara Zoey
`,
  ' ',
);

export const MALE_FIRST_NAMES = list(
  `
  Aaron Adrian Asher Beckett Bennett Caleb Cameron Colton Damian Declan Easton Elias Emmett Finn
  Gavin Grayson Hudson Ian Jasper Jonah Kai Landon Leo Lincoln Mason Micah Nathan Nolan Owen
  Parker Quentin Reid Rowan Silas Tristan Victor Wesley Xavier Zane
`,
  ' ',
);

export const LAST_NAMES = list(
  `
  Abbott Alvarez Baxter Bishop Bowman Brennan Castillo Chambers Conway Dalton Delgado Donovan
  Ellison Espinoza Fleming Fowler Gallagher Garza Hale Hammond Hensley Holloway Ibarra Jennings
  Keller Kirkland Lambert Lowe Maddox Mercado Montgomery Nash Navarro Odom Pacheco Pruitt Quintero
  Ramsey Rhodes Salazar Sheppard Stanton Tate Tillman Underwood Vance Villegas Wagner Whitaker
  Yates Zamora O'Connell
`,
  ' ',
);

export const USER_LOCATIONS = [
  'Albany-Schenectady-Troy, NY',
  'Albuquerque, NM',
  'Austin-Round Rock, TX',
  'Bakersfield, CA',
  'Boise City, ID',
  'Boston-Cambridge-Newton, MA-NH',
  'Buffalo-Cheektowaga-Niagara Falls, NY',
  'Charlotte-Concord-Gastonia, NC-SC',
  'Cincinnati, OH-KY-IN',
  'Cleveland-Elyria, OH',
  'Columbus, OH',
  'Denver-Aurora-Lakewood, CO',
  'Des Moines-West Des Moines, IA',
  'Fresno, CA',
  'Grand Rapids-Wyoming, MI',
  'Greenville-Anderson-Mauldin, SC',
  'Hartford-West Hartford-East Hartford, CT',
  'Jacksonville, FL',
  'Kansas City, MO-KS',
  'Knoxville, TN',
  'Las Vegas-Henderson-Paradise, NV',
  'Louisville/Jefferson County, KY-IN',
  'Madison, WI',
  'Memphis, TN-MS-AR',
  'Oklahoma City, OK',
  'Omaha-Council Bluffs, NE-IA',
  'Orlando-Kissimmee-Sanford, FL',
  'Pittsburgh, PA',
  'Providence-Warwick, RI-MA',
  'Reno, NV',
  'Rochester, NY',
  'Spokane-Spokane Valley, WA',
  'Springfield, MO',
  'Syracuse, NY',
  'Toledo, OH',
  'Tucson, AZ',
  'Tulsa, OK',
  'Virginia Beach-Norfolk-Newport News, VA-NC',
  'Wichita, KS',
  'Worcester, MA-CT',
];

// eventsim wrote user agents through a CSV step: the ones holding a comma came out wrapped in
// literal double quotes, the others bare. The generator reproduces that rule.
const RAW_USER_AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/38.0.2125.104 Safari/537.36',
  'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/38.0.2125.111 Safari/537.36',
  'Mozilla/5.0 (Windows NT 6.3; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/38.0.2125.104 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/38.0.2125.101 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10) AppleWebKit/600.1.25 (KHTML, like Gecko) Version/8.0 Safari/600.1.25',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_5) AppleWebKit/537.78.2 (KHTML, like Gecko) Version/7.0.6 Safari/537.78.2',
  'Mozilla/5.0 (iPad; CPU OS 8_1 like Mac OS X) AppleWebKit/600.1.4 (KHTML, like Gecko) Version/8.0 Mobile/12B410 Safari/600.1.4',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 8_1 like Mac OS X) AppleWebKit/600.1.4 (KHTML, like Gecko) Version/8.0 Mobile/12B411 Safari/600.1.4',
  'Mozilla/5.0 (Windows NT 6.1; WOW64; rv:33.0) Gecko/20100101 Firefox/33.0',
  'Mozilla/5.0 (Windows NT 6.3; rv:33.0) Gecko/20100101 Firefox/33.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.10; rv:33.0) Gecko/20100101 Firefox/33.0',
  'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:32.0) Gecko/20100101 Firefox/32.0',
  'Mozilla/5.0 (Windows NT 6.1; Trident/7.0; rv:11.0) like Gecko',
  'Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.1; Trident/6.0)',
];
export const USER_AGENTS = RAW_USER_AGENTS.map((ua) => (ua.includes(',') ? `"${ua}"` : ua));

/** Artist locations as the Million Song Dataset has them: free text, sometimes with coordinates. */
export const ARTIST_PLACES: readonly { location: string; latitude: number; longitude: number }[] = [
  { location: 'London, England', latitude: 51.50632, longitude: -0.12714 },
  { location: 'Los Angeles, CA', latitude: 34.05349, longitude: -118.24532 },
  { location: 'New York, NY', latitude: 40.71455, longitude: -74.00712 },
  { location: 'Chicago, IL', latitude: 41.88415, longitude: -87.63241 },
  { location: 'Detroit, MI', latitude: 42.33168, longitude: -83.04792 },
  { location: 'Seattle, WA', latitude: 47.60356, longitude: -122.32944 },
  { location: 'Atlanta, GA', latitude: 33.74831, longitude: -84.39111 },
  { location: 'Nashville, TN', latitude: 36.16778, longitude: -86.77836 },
  { location: 'Austin, TX', latitude: 30.26759, longitude: -97.74299 },
  { location: 'Toronto, Ontario, Canada', latitude: 43.64856, longitude: -79.38533 },
  { location: 'Montreal, Quebec, Canada', latitude: 45.51228, longitude: -73.55439 },
  { location: 'Manchester, England', latitude: 53.4796, longitude: -2.24881 },
  { location: 'Glasgow, Scotland', latitude: 55.85715, longitude: -4.24411 },
  { location: 'Dublin, Ireland', latitude: 53.34376, longitude: -6.24953 },
  { location: 'Paris, France', latitude: 48.85692, longitude: 2.34121 },
  { location: 'Berlin, Germany', latitude: 52.51607, longitude: 13.37698 },
  { location: 'Stockholm, Sweden', latitude: 59.33217, longitude: 18.06243 },
  { location: 'Reykjavík, Iceland', latitude: 64.13548, longitude: -21.89541 },
  { location: 'Kingston, Jamaica', latitude: 17.99702, longitude: -76.79358 },
  { location: 'São Paulo, Brazil', latitude: -23.56288, longitude: -46.65431 },
  { location: 'Mexico City, Mexico', latitude: 19.43195, longitude: -99.13315 },
  { location: 'Sydney, Australia', latitude: -33.86963, longitude: 151.20695 },
  { location: 'Memphis, TN', latitude: 35.14968, longitude: -90.04892 },
  { location: 'New Orleans, LA', latitude: 29.95369, longitude: -90.07771 },
  { location: 'Philadelphia, PA', latitude: 39.95227, longitude: -75.16237 },
  { location: 'Brooklyn, NY', latitude: 40.65507, longitude: -73.94888 },
  { location: 'Athens, GA', latitude: 33.95813, longitude: -83.37326 },
  { location: 'Minneapolis, MN', latitude: 44.97903, longitude: -93.26493 },
  { location: 'Houston, TX', latitude: 29.76045, longitude: -95.36978 },
  { location: 'Bristol, England', latitude: 51.45358, longitude: -2.59199 },
];

/** Locations the Million Song Dataset has without coordinates. */
export const ARTIST_PLACES_WITHOUT_COORDINATES = [
  'California - LA',
  'California - SF',
  'NY - New York City',
  'UK',
  'England',
  'New Jersey',
  'Pennsylvania',
  'Texas',
  'Florida',
  'Ohio',
  'Canada',
  'Germany',
  'Sweden',
  'Brasil',
  'Great Britain / UK',
  'Queens, NY',
  'Long Island, NY',
  'Bay Area, CA',
  'Côte d’Ivoire',
];

export const TITLE_WORDS = list(
  `
  Love|Heart|Night|Day|Fire|Rain|Blue|Gold|River|Road|Dream|Shadow|Light|Sun|Moon|Star|Summer|
  Winter|City|Home|Girl|Boy|Baby|Angel|Devil|Ghost|Heaven|Train|Highway|Ocean|Wild|Lonely|Broken|
  Sweet|Crazy|Little|Golden|Silver|Electric|Midnight|Morning|Tonight|Forever|Again|Away|Down|Over|
  Back|Free|Alive|Memory|Story|Song|Dance|Kiss|Tears|Smile|Eyes|Hands|Soul|Storm|Thunder|Wind|
  Stone|Glass|Paper|Mirror|Window|Door|Garden|Desert|Island|Mountain|Valley|Street|Avenue|Station|
  Radio|Machine|Engine|Secret|Promise|Lies|Truth|Time|World|Life|Colors|Echo|Signal|Corazón|Mañana|
  Café|Noël|Déjà Vu|Señorita|Über|Fiesta|Amor|Vida
`,
  '|',
);

export const TITLE_JOINERS = [
  'of the',
  'in the',
  'on the',
  'and',
  'for',
  'with',
  'to',
  'from',
  'like a',
  'is',
];

export const TITLE_SUFFIXES = [
  ' (Album Version)',
  ' (LP Version)',
  ' (Live)',
  ' (Remastered)',
  ' (Radio Edit)',
  ' (Acoustic)',
  ' (Remix)',
  ' (Explicit Album Version)',
  ' [Live At The Fillmore]',
  ' - Single Version',
];

/** Titles many artists share (so the same title by different artists also happens naturally). */
export const COMMON_TITLES = [
  'Intro',
  'Outro',
  'Home',
  'Hold On',
  'Run',
  'Breathe',
  'Stay',
  'Forever',
  'Angel',
  'Crazy',
  'Untitled',
  'Interlude',
  'Hallelujah',
  "I'm Yours",
  'Fly Away',
];

export const ARTIST_ADJECTIVES = list(
  `
  Black White Red Silent Electric Golden Young Old Lost Dead Flying Velvet Iron Crystal Wild
  Lonesome Holy Neon Savage Gentle
`,
  ' ',
);

export const ARTIST_NOUNS = list(
  `
  Keys|Wolves|Pilots|Kings|Saints|Sisters|Brothers|Horses|Lions|Tigers|Ramblers|Riders|Machines|
  Echoes|Shadows|Strangers|Lovers|Ghosts|Giants|Hearts|Rebels|Orchestra|Quartet|Collective|
  Experience|Project|Sound System|Band|Crew|Trio
`,
  '|',
);

export const ARTIST_SINGLE_NAMES = list(
  `
  Kavoro|Brakewater|Caspiana|Dorado Sur|Elbow Room|Fenwick|Gorkhan|Hanami|Isotope 9|Jovanelli|
  Lumenaire|Moguera|Nadjarra|Orbitone|Pulsaria|Quasarine|Rökkurró|Saïdou|Umbra|Vértigo Azul|
  Wavelord|Xylo|Yéyé Club|Zénith|DJ Kobalt|MC Tarmac|Lil Vesper
`,
  '|',
);
