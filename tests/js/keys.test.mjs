// The keyboard on a sentence: kinds, moving, and marking words in word mode.
import { test } from "node:test";
import assert from "node:assert/strict";

import { initialState, keyAction, moveWordCursor, passesThrough, rowStep, startWordMode } from "../../src/framelab/teach/static/tagger.mjs";
import { DATA, TOKENS, UNITS, chars, tok } from "./fixture.mjs";

const press = (key, unitId = "s02", shift = false) => ({ key, shift, ctrl: false, unitId });

/** Press keys one after another, carrying word mode along as render does. */
function typeKeys(state, keys, unitId = "s02") {
  const actions = [];
  for (const [key, shift] of keys) {
    const action = keyAction(state, press(key, unitId, shift), DATA);
    actions.push(action);
    if (action && action.wordMode) state = { ...state, wordMode: action.wordMode };
    if (action && action.do === "word-leave") state = { ...state, wordMode: null };
  }
  return { state, actions };
}

test("1 to 4 on a sentence set its kind", () => {
  assert.deepEqual(keyAction(initialState(), press("3"), DATA), { do: "kind", unitId: "s02", kind: "opinion" });
  assert.deepEqual(keyAction(initialState(), press("4", "s01"), DATA), { do: "kind", unitId: "s01", kind: "structure" });
});

test("keys outside a sentence and outside a menu are not the tagger's", () => {
  for (const key of ["1", "ArrowDown", "Enter", "Escape"]) {
    assert.equal(keyAction(initialState(), press(key, null), DATA), null);
  }
});

test("up and down move between sentences; right goes into a sentence's controls", () => {
  assert.deepEqual(keyAction(initialState(), press("ArrowDown", "s01"), DATA), { do: "focus", unitId: "s02" });
  assert.deepEqual(keyAction(initialState(), press("ArrowUp", "s02"), DATA), { do: "focus", unitId: "s01" });
  assert.deepEqual(keyAction(initialState(), press("ArrowUp", "s01"), DATA), { do: "focus", unitId: "s01" });
  assert.deepEqual(keyAction(initialState(), press("End", "s01"), DATA), { do: "focus", unitId: "s02" });
  assert.deepEqual(keyAction(initialState(), press("Home", "s02"), DATA), { do: "focus", unitId: "s01" });
  assert.deepEqual(keyAction(initialState(), press("ArrowRight", "s01"), DATA), { do: "row", unitId: "s01", index: 0 });
  assert.equal(keyAction(initialState(), press("ArrowLeft", "s01"), DATA), null);
});

test("in a sentence's controls the arrows walk them, and lead back out", () => {
  assert.deepEqual(rowStep("ArrowRight", 0, 5), { to: 1 });
  assert.deepEqual(rowStep("ArrowRight", 4, 5), { to: 4 });
  assert.deepEqual(rowStep("ArrowLeft", 2, 5), { to: 1 });
  assert.deepEqual(rowStep("ArrowLeft", 0, 5), { to: "unit" });
  assert.deepEqual(rowStep("Escape", 3, 5), { to: "unit" });
  assert.deepEqual(rowStep("ArrowDown", 3, 5), { unit: 1 });
  assert.deepEqual(rowStep("End", 0, 5), { to: 4 });
  assert.equal(rowStep("x", 0, 5), null);
  // on a chip or a pill the kinds still work, and nothing else of the sentence's keys
  const on = (key, where) => keyAction(initialState(), { ...press(key, "s02"), on: where }, DATA);
  assert.deepEqual(on("3", "chip"), { do: "kind", unitId: "s02", kind: "opinion" });
  assert.deepEqual(on("1", "pill"), { do: "kind", unitId: "s02", kind: "fact" });
  assert.equal(on("Enter", "chip"), null, "Enter presses the chip; it starts no word mode");
  assert.equal(on("3", "other"), null);
});

test("only Tab and Shift+Enter leave the tagger for the notebook", () => {
  const key = (k, extra = {}) => passesThrough({ key: k, shift: false, ctrl: false, alt: false, ...extra });
  assert.ok(key("Tab") && key("Tab", { shift: true }) && key("Enter", { shift: true }));
  for (const k of ["m", "x", "a", "b", "y", "d", "c", "v", "z", "Enter", "Escape", "ArrowDown", "0", "1", " "]) {
    assert.equal(key(k), false, k);
  }
  assert.equal(key("Enter", { shift: true, ctrl: true }), false);
  assert.equal(key("s", { ctrl: true }), false, "Ctrl+S would save the notebook");
});

test("Delete removes the mark under the cursor, or asks which mark on a sentence", () => {
  const spans = [[...chars("insisted"), "verb-bias"]];
  const data = { ...DATA, spans };
  const wordMode = { unitId: "s02", anchor: tok("insisted"), cursor: tok("insisted") };
  const state = { ...initialState(), wordMode };
  assert.deepEqual(keyAction(state, press("Delete"), data), { do: "remove-at", unitId: "s02", tokenIndex: tok("insisted") });
  assert.deepEqual(keyAction(state, press("Backspace"), data), { do: "remove-at", unitId: "s02", tokenIndex: tok("insisted") });
  assert.deepEqual(keyAction(initialState(), press("Delete"), data), { do: "remove-in", unitId: "s02" });
  assert.equal(keyAction(initialState(), press("Delete", "s01"), data), null, "s01 has no mark");
});

test("? opens the key sheet from a sentence, but not inside a menu; Ctrl+S is answered", () => {
  assert.deepEqual(keyAction(initialState(), press("?"), DATA), { do: "keys" });
  assert.deepEqual(keyAction(initialState(), press("?", null), DATA), { do: "keys" });
  assert.deepEqual(keyAction(initialState(), { ...press("s"), ctrl: true }, DATA), { do: "save-note" });
});

test("Enter, Shift+arrows and Enter mark a phrase by keyboard", () => {
  const { actions } = typeKeys(initialState(), [
    ["Enter"], ["ArrowRight"], ["ArrowRight"], ["ArrowRight"], ["ArrowRight"],
    ["ArrowRight", true], ["ArrowRight", true], ["Enter"],
  ]);
  assert.deepEqual(actions[0], { do: "word-start", wordMode: { unitId: "s02", anchor: tok("Critics"), cursor: tok("Critics") } });
  assert.deepEqual(actions.at(-1), { do: "word-mark", unitId: "s02", range: chars("simply not enough") });
});

test("an arrow without Shift starts the phrase again at the new word", () => {
  const unit = UNITS[1];
  const wide = { unitId: "s02", anchor: tok("simply"), cursor: tok("not") };
  assert.deepEqual(moveWordCursor(wide, TOKENS, unit, 1, false), { unitId: "s02", anchor: tok("enough"), cursor: tok("enough") });
  assert.deepEqual(moveWordCursor(wide, TOKENS, unit, -1, true), { unitId: "s02", anchor: tok("simply"), cursor: tok("simply") });
});

test("in word mode the cursor stays inside its sentence", () => {
  const unit = UNITS[1];
  const first = startWordMode(TOKENS, unit);
  assert.equal(moveWordCursor(first, TOKENS, unit, -1, false).cursor, tok("Critics"));
  const last = { unitId: "s02", anchor: TOKENS.length - 1, cursor: TOKENS.length - 1 };
  assert.equal(moveWordCursor(last, TOKENS, unit, 1, false).cursor, TOKENS.length - 1);
});

test("Escape leaves word mode; in word mode the kinds still work", () => {
  const { state, actions } = typeKeys(initialState(), [["Enter"], ["2"], ["Escape"], ["ArrowRight"]]);
  assert.deepEqual(actions.slice(1), [
    { do: "kind", unitId: "s02", kind: "attributed" },
    { do: "word-leave" },
    { do: "row", unitId: "s02", index: 0 },
  ]);
  assert.equal(state.wordMode, null);
});

test("word mode in one sentence leaves the arrows of another alone", () => {
  const state = { ...initialState(), wordMode: { unitId: "s02", anchor: tok("it"), cursor: tok("it") } };
  assert.deepEqual(keyAction(state, press("ArrowUp", "s01"), DATA), { do: "focus", unitId: "s01" });
});

test("a sentence with no words has no word mode", () => {
  assert.equal(startWordMode(TOKENS, { id: "s03", start: 31, end: 32 }), null);
  const data = { ...DATA, units: [...DATA.units, { id: "s03", start: 31, end: 32 }] };
  assert.equal(keyAction(initialState(), press("Enter", "s03"), data), null);
});

test("Escape drops a first word chosen by a click", () => {
  const state = { ...initialState(), anchor: { unitId: "s02", tokenIndex: tok("it") } };
  assert.deepEqual(keyAction(state, press("Escape"), DATA), { do: "drop-anchor" });
  assert.equal(keyAction(initialState(), press("Escape"), DATA), null, "nothing to drop");
});
