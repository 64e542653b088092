// A two-sentence text with its traits, shaped as framelab.teach.tagger sends them:
// units, word and punctuation tokens ([start, end]), and the legend's keys.

export const TEXT = "Officials said the plan failed. Critics insisted it was simply not enough.";

/** Words and punctuation as [start, end], as framelab.texts.corpus.tokens gives them. */
function tokenize(text) {
  return [...text.matchAll(/[\w']+|[^\w\s]/g)].map((m) => [m.index, m.index + m[0].length]);
}

export const TOKENS = tokenize(TEXT);

export const UNITS = [
  { id: "s01", start: 0, end: 31, structure: false },
  { id: "s02", start: 32, end: TEXT.length, structure: false },
];

export const LABELS = {
  kinds: [
    { name: "fact", key: "1" },
    { name: "attributed", key: "2" },
    { name: "opinion", key: "3" },
    { name: "structure", key: "4" },
  ],
  devices: [
    { name: "loaded", key: "l" },
    { name: "intensifier", key: "i" },
    { name: "speculation", key: "s" },
    { name: "vague-source", key: "v" },
    { name: "verb-bias", key: "b" },
    { name: "generalization", key: "g" },
  ],
};

export const DATA = { labels: LABELS, tokens: TOKENS, units: UNITS };

/** The index of the token that reads `word` (the first one). */
export function tok(word) {
  const i = TOKENS.findIndex(([s, e]) => TEXT.slice(s, e) === word);
  if (i < 0) throw new Error(`no token ${word}`);
  return i;
}

/** The characters [start, end] of `words`, as a span would hold them. */
export function chars(words) {
  const start = TEXT.indexOf(words);
  if (start < 0) throw new Error(`no ${words}`);
  return [start, start + words.length];
}
