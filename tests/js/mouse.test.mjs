// The mouse: a drag, a click, a shift-click.
import { test } from "node:test";
import assert from "node:assert/strict";

import { click, dragEnd, initialState, isSelecting } from "../../src/framelab/teach/static/tagger.mjs";
import { TOKENS, UNITS, chars, tok } from "./fixture.mjs";

/** A word as the DOM gives it: its sentence and its token index. */
function at(word) {
  const [start] = TOKENS[tok(word)];
  return { unitId: UNITS.find((u) => u.start <= start && start < u.end).id, tokenIndex: tok(word) };
}
const onWord = (word, shift = false) => ({ ...at(word), shift });

/**
 * What the browser sends for a drag from one word to another: mouseup (with the
 * selection), then a click on the element where the drag began and ended: the word
 * itself when the drag stays on one word, else the paragraph (no word).
 */
function drag(state, from, to, spans) {
  ({ state } = dragEnd(state, at(from), at(to), { tokens: TOKENS }));
  return click(state, from === to ? onWord(from) : null, { tokens: TOKENS, spans });
}

/** A plain click: mouseup with nothing selected, then click. */
function clickOn(state, word, spans, shift = false) {
  return click(state, onWord(word, shift), { tokens: TOKENS, spans });
}

const selected = (state) => TOKENS.map((_, i) => i).filter((i) => isSelecting(state, "s02", i));

test("dragging over words opens the device menu for them", () => {
  const { state } = drag(initialState(), "simply", "enough", []);
  assert.deepEqual(state.menu, { kind: "device", unitId: "s02", start: chars("simply")[0], end: chars("enough")[1] });
});






test("a click then a shift-click opens the device menu for the words between", () => {
  let { state, effect } = clickOn(initialState(), "enough", []);
  assert.equal(effect, "anchor");
  assert.deepEqual(selected(state), [tok("enough")]);
  ({ state, effect } = clickOn(state, "simply", [], true));
  assert.equal(effect, "menu");
  assert.deepEqual(state.menu, { kind: "device", unitId: "s02", start: chars("simply")[0], end: chars("enough")[1] });
  assert.equal(state.anchor, null);
  assert.deepEqual(selected(state), [], "the first word is no longer drawn as chosen");
});

test("a shift-click in another sentence starts again there", () => {
  let { state } = clickOn(initialState(), "Officials", []);
  assert.deepEqual(state.anchor, { unitId: "s01", tokenIndex: tok("Officials") });
  ({ state } = click(state, onWord("insisted", true), { tokens: TOKENS, spans: [] }));
  assert.equal(state.menu, null);
  assert.deepEqual(state.anchor, at("insisted"));
});

test("a click on a marked word offers to remove the marks on it", () => {
  const spans = [[...chars("simply"), "loaded"], [...chars("insisted"), "verb-bias"], [...chars("Critics insisted"), "vague-source"]];
  const { state, effect } = clickOn(initialState(), "insisted", spans);
  assert.equal(effect, "menu");
  assert.deepEqual(state.menu, { kind: "remove", unitId: "s02", tokenIndex: tok("insisted"), spans: spans.slice(1) });
});

test("a drag over two sentences is refused and opens no menu", () => {
  const result = dragEnd(initialState(), at("failed"), at("Critics"), { tokens: TOKENS });
  assert.equal(result.effect, "refused");
  assert.equal(result.state.menu, null);
});

test("a click off the words does nothing", () => {
  const state = initialState();
  assert.deepEqual(click(state, null, { tokens: TOKENS, spans: [] }), { state, effect: "none" });
});
