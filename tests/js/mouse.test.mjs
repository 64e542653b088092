// The mouse: a drag, a click, a shift-click, and the click that follows every drag.
import { test } from "node:test";
import assert from "node:assert/strict";

import { click, closeMenu, dragEnd, initialState, isSelecting, keyAction, mouseDown } from "../../src/framelab/teach/static/tagger.mjs";
import { DATA, TOKENS, UNITS, chars, tok } from "./fixture.mjs";

/** A word as the DOM gives it: its sentence and its token index. */
function at(word) {
  const [start] = TOKENS[tok(word)];
  return { unitId: UNITS.find((u) => u.start <= start && start < u.end).id, tokenIndex: tok(word) };
}
const onWord = (word, shift = false) => ({ ...at(word), shift });

/**
 * What the browser sends for a drag from one word to another: mousedown, mouseup (with
 * the selection), then a click on the element where both happened: the word itself when
 * the drag stays on one word, else the paragraph (no word).
 */
function drag(state, from, to, spans) {
  state = mouseDown(state);
  ({ state } = dragEnd(state, at(from), at(to), { tokens: TOKENS }));
  return click(state, from === to ? onWord(from) : null, { tokens: TOKENS, spans });
}

/** A plain click: mousedown, mouseup with nothing selected, click. */
function clickOn(state, word, spans, shift = false) {
  return click(mouseDown(state), onWord(word, shift), { tokens: TOKENS, spans });
}

const selected = (state) => TOKENS.map((_, i) => i).filter((i) => isSelecting(state, "s02", i));

test("dragging over words opens the device menu for them", () => {
  const { state } = drag(initialState(), "simply", "enough", []);
  assert.deepEqual(state.menu, { kind: "device", unitId: "s02", start: chars("simply")[0], end: chars("enough")[1] });
});

test("the click after a drag over a marked word leaves the device menu open", () => {
  // code review 5: the drag's mouseup opened the device menu and cleared the selection;
  // the click that follows on the same word opened "Remove a mark?" in its place.
  const spans = [[...chars("insisted"), "loaded"]];
  const { state, effect } = drag(initialState(), "insisted", "insisted", spans);
  assert.equal(effect, "none");
  assert.deepEqual(state.menu, { kind: "device", unitId: "s02", ...{ start: chars("insisted")[0], end: chars("insisted")[1] } });
  assert.deepEqual(keyAction(state, { key: "b", shift: false, ctrl: false, unitId: "s02" }, DATA),
    { do: "add", span: [...chars("insisted"), "verb-bias"] });
});

test("the click after a drag over an unmarked word chooses no first word", () => {
  const { state } = drag(initialState(), "insisted", "insisted", []);
  assert.equal(state.anchor, null);
  assert.deepEqual(selected(state), []);
  assert.equal(state.menu.kind, "device");
});

test("Escape after a drag leaves nothing chosen and nothing highlighted", () => {
  let { state } = drag(initialState(), "insisted", "insisted", []);
  assert.deepEqual(keyAction(state, { key: "Escape", shift: false, ctrl: false, unitId: "s02" }, DATA), { do: "close" });
  state = closeMenu(state);
  assert.equal(state.menu, null);
  assert.deepEqual(selected(state), []);
});

test("only the one click after a drag is skipped", () => {
  let { state } = drag(initialState(), "simply", "enough", []);
  state = closeMenu(state);
  const next = clickOn(state, "it", []);
  assert.equal(next.effect, "anchor");
  assert.deepEqual(next.state.anchor, at("it"));
});

test("a drag whose click never reached the list does not swallow the next click", () => {
  // the mouse went down outside the list, so the browser sent the click elsewhere
  let { state } = dragEnd(initialState(), at("simply"), at("not"), { tokens: TOKENS });
  state = closeMenu(state);
  const next = clickOn(state, "it", []);
  assert.deepEqual(next.state.anchor, at("it"));
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
  ({ state } = click(mouseDown(state), onWord("insisted", true), { tokens: TOKENS, spans: [] }));
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
  let state = mouseDown(initialState());
  const result = dragEnd(state, at("failed"), at("Critics"), { tokens: TOKENS });
  assert.equal(result.effect, "refused");
  assert.equal(result.state.menu, null);
  ({ state } = click(result.state, null, { tokens: TOKENS, spans: [] }));
  assert.equal(state.justDragged, false);
});

test("a click off the words does nothing", () => {
  const state = initialState();
  assert.deepEqual(click(state, null, { tokens: TOKENS, spans: [] }), { state, effect: "none" });
});
