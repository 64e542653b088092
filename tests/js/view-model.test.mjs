// The view-model: which words a sentence has, ranges, and the list of spans.
import { test } from "node:test";
import assert from "node:assert/strict";

import {
  addSpan, coveringSpans, deviceForKey, isSelecting, initialState, kindForKey, rangeOf,
  removeSpan, tokensOf, unitAfter, withKind,
} from "../../src/framelab/teach/static/tagger.mjs";
import { LABELS, TEXT, TOKENS, UNITS, chars, tok } from "./fixture.mjs";

const words = (toks) => toks.map(([s, e]) => TEXT.slice(s, e));

test("a unit's tokens are its own words, with their index in the whole text", () => {
  const second = tokensOf(TOKENS, UNITS[1]);
  assert.deepEqual(words(second), ["Critics", "insisted", "it", "was", "simply", "not", "enough", "."]);
  assert.deepEqual(second.map(([, , i]) => i), [6, 7, 8, 9, 10, 11, 12, 13]);
  assert.deepEqual(words(tokensOf(TOKENS, UNITS[0])), ["Officials", "said", "the", "plan", "failed", "."]);
});

test("the range from an anchor to a shift-clicked word is the same in either order", () => {
  const expected = chars("simply not enough");
  assert.deepEqual(rangeOf(TOKENS, tok("simply"), tok("enough")), expected);
  assert.deepEqual(rangeOf(TOKENS, tok("enough"), tok("simply")), expected);
  assert.deepEqual(rangeOf(TOKENS, tok("insisted"), tok("insisted")), chars("insisted"));
});

test("a span covers the words it shares a character with, and not a word it only touches", () => {
  const spans = [[...chars("simply not"), "intensifier"], [...chars("not enough"), "loaded"]];
  assert.deepEqual(coveringSpans(spans, ...chars("simply")), [0]);
  assert.deepEqual(coveringSpans(spans, ...chars("not")), [0, 1]);
  assert.deepEqual(coveringSpans(spans, ...chars("enough")), [1]);
  assert.deepEqual(coveringSpans(spans, ...chars("was")), []);
  const [, end] = chars("simply not");
  assert.deepEqual(coveringSpans(spans, end, end + 1), [1]); // the space after "not"
});

test("adding a span puts it last and keeps the others in their order", () => {
  const spans = [[...chars("simply"), "loaded"], [...chars("Officials"), "vague-source"]];
  const { spans: after, added } = addSpan(spans, [...chars("insisted"), "verb-bias"]);
  assert.equal(added, true);
  assert.deepEqual(after, [...spans, [...chars("insisted"), "verb-bias"]]);
  assert.equal(spans.length, 2, "the list it was given is left as it was");
});

test("adding a span that is there already changes nothing", () => {
  const spans = [[...chars("insisted"), "verb-bias"]];
  const { spans: after, added } = addSpan(spans, [...chars("insisted"), "verb-bias"]);
  assert.equal(added, false);
  assert.deepEqual(after, spans);
});

test("the same words may carry two devices", () => {
  const spans = [[...chars("insisted"), "verb-bias"]];
  const { spans: after, added } = addSpan(spans, [...chars("insisted"), "loaded"]);
  assert.equal(added, true);
  assert.deepEqual(after, [[...chars("insisted"), "verb-bias"], [...chars("insisted"), "loaded"]]);
});

test("removing a span removes that span, wherever it now is in the list", () => {
  const a = [...chars("simply"), "loaded"], b = [...chars("insisted"), "verb-bias"], c = [...chars("it"), "loaded"];
  assert.deepEqual(removeSpan([a, b, c], b), { spans: [a, c], removed: true });
  assert.deepEqual(removeSpan([c, b, a], b), { spans: [c, a], removed: true });
  assert.deepEqual(removeSpan([b, b], b), { spans: [b], removed: true }, "one copy at a time");
});

test("removing a span that is no longer there removes nothing", () => {
  const a = [...chars("simply"), "loaded"];
  assert.deepEqual(removeSpan([a], [...chars("simply"), "intensifier"]), { spans: [a], removed: false });
});

test("setting a kind changes that sentence only", () => {
  const kinds = { s01: "fact" };
  assert.deepEqual(withKind(kinds, "s02", "opinion"), { s01: "fact", s02: "opinion" });
  assert.deepEqual(withKind(kinds, "s01", "attributed"), { s01: "attributed" });
  assert.deepEqual(kinds, { s01: "fact" });
});

test("keys 1 to 4 set fact, attributed, opinion, structure; other keys no kind", () => {
  assert.deepEqual(["1", "2", "3", "4"].map((key) => kindForKey(LABELS.kinds, key)),
    ["fact", "attributed", "opinion", "structure"]);
  for (const key of ["0", "5", "f", "Enter"]) assert.equal(kindForKey(LABELS.kinds, key), null);
});

test("a device's letter names it, with or without Shift", () => {
  assert.equal(deviceForKey(LABELS.devices, "b"), "verb-bias");
  assert.equal(deviceForKey(LABELS.devices, "B"), "verb-bias");
  assert.equal(deviceForKey(LABELS.devices, "v"), "vague-source");
  assert.equal(deviceForKey(LABELS.devices, "x"), null);
  assert.equal(deviceForKey(LABELS.devices, "1"), null);
});

test("moving between sentences stops at the first and the last", () => {
  assert.equal(unitAfter(UNITS, "s01", 1), "s02");
  assert.equal(unitAfter(UNITS, "s02", 1), "s02");
  assert.equal(unitAfter(UNITS, "s02", -1), "s01");
  assert.equal(unitAfter(UNITS, "s01", -1), "s01");
});

test("the words being chosen are drawn as chosen, and no others", () => {
  const state = { ...initialState(), wordMode: { unitId: "s02", anchor: tok("not"), cursor: tok("simply") } };
  const chosen = TOKENS.map((_, i) => i).filter((i) => isSelecting(state, "s02", i));
  assert.deepEqual(chosen, [tok("simply"), tok("not")]);
  const anchored = { ...initialState(), anchor: { unitId: "s02", tokenIndex: tok("it") } };
  assert.deepEqual(TOKENS.map((_, i) => i).filter((i) => isSelecting(anchored, "s02", i)), [tok("it")]);
  assert.equal(TOKENS.some((_, i) => isSelecting(initialState(), "s02", i)), false);
});
