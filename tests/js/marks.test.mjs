// How marks, key phrases and the chosen words are drawn: one stretch per phrase, a pill
// after its last word; and what the browser remembers of the view.
import { test } from "node:test";
import assert from "node:assert/strict";

import {
  boxEdges, gapSpans, initialState, isSelecting, loadPlace, loadView, openDeviceMenu, pillPlaces,
  removedText, savePlace, saveView, tokensOf,
} from "../../src/framelab/teach/static/tagger.mjs";
import { TEXT, TOKENS, UNITS, chars, tok } from "./fixture.mjs";

const inS02 = tokensOf(TOKENS, UNITS[1]);
const span = (words, device) => [...chars(words), device];

test("a mark's pill follows the last word it touches, once per mark", () => {
  const spans = [span("simply not enough", "intensifier"), span("insisted", "verb-bias"), span("not", "loaded")];
  const places = pillPlaces(spans, inS02);
  assert.deepEqual(places.get(tok("enough")), [0]);
  assert.deepEqual(places.get(tok("insisted")), [1]);
  assert.deepEqual(places.get(tok("not")), [2]);
  assert.equal([...places.values()].flat().length, 3);
  // a mark in another sentence has no pill here
  assert.equal(pillPlaces([span("Officials", "loaded")], inS02).size, 0);
});

test("the gap between two words belongs to the marks over both of them", () => {
  const spans = [span("simply not enough", "intensifier"), span("not", "loaded")];
  const between = (a, b) => gapSpans(spans, TOKENS[tok(a)], TOKENS[tok(b)]);
  assert.deepEqual(between("simply", "not"), [0]);
  assert.deepEqual(between("not", "enough"), [0], "a mark on one word does not fill its gaps");
  assert.deepEqual(between("was", "simply"), []);
});

test("a key phrase is one box: its first word opens it, its last closes it", () => {
  const keySpans = [span("simply not enough", "intensifier")];
  const edges = (word) => boxEdges(keySpans, inS02, ...TOKENS[tok(word)]);
  assert.deepEqual(edges("simply"), { inside: true, first: true, last: false });
  assert.deepEqual(edges("not"), { inside: true, first: false, last: false });
  assert.deepEqual(edges("enough"), { inside: true, first: false, last: true });
  assert.deepEqual(edges("was"), { inside: false, first: false, last: false });
});

test("the words of the open device menu stay highlighted while a device is chosen", () => {
  const state = openDeviceMenu(initialState(), "s02", ...chars("simply not"));
  assert.ok(isSelecting(state, "s02", tok("simply"), TOKENS));
  assert.ok(isSelecting(state, "s02", tok("not"), TOKENS));
  assert.ok(!isSelecting(state, "s02", tok("enough"), TOKENS));
  assert.ok(!isSelecting(state, "s01", tok("Officials"), TOKENS), "only in the menu's sentence");
});

test("the undo toast names the device and the words", () => {
  assert.equal(removedText(span("insisted", "verb-bias"), TEXT), 'Removed verb-bias on "insisted".');
});

/** A localStorage stand-in. */
function store(broken = false) {
  const data = new Map();
  return {
    data,
    getItem: (k) => { if (broken) throw new Error("denied"); return data.has(k) ? data.get(k) : null; },
    setItem: (k, v) => { if (broken) throw new Error("denied"); data.set(k, String(v)); },
  };
}

test("the view chosen is remembered; anything else reads as the whole text", () => {
  const storage = store();
  assert.equal(loadView(storage), "list");
  saveView(storage, "card");
  assert.equal(loadView(storage), "card");
  saveView(storage, "nonsense");
  assert.equal(loadView(storage), "card");
  storage.data.set("framelab.tagger.view", "garbage");
  assert.equal(loadView(storage), "list");
  // a browser that refuses storage (private mode) still gets a working tagger
  const refused = store(true);
  saveView(refused, "card");
  assert.equal(loadView(refused), "list");
  assert.equal(loadView(null), "list");
});

test("the sentence shown one at a time is remembered per text", () => {
  const storage = store();
  assert.equal(loadPlace(storage, "doc", UNITS), "s01");
  savePlace(storage, "doc", "s02");
  assert.equal(loadPlace(storage, "doc", UNITS), "s02");
  assert.equal(loadPlace(storage, "other", UNITS), "s01");
  savePlace(storage, "doc", "s99");
  assert.equal(loadPlace(storage, "doc", UNITS), "s01", "an id the text no longer has");
  assert.equal(loadPlace(store(true), "doc", UNITS), "s01");
});
