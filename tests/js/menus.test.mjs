// The menus: one state.menu, cleared on close; which keys act in which menu.
import { test } from "node:test";
import assert from "node:assert/strict";

import {
  closeMenu, initialState, keyAction, menuKey, menuStep, openDeviceMenu, openRemoveMenu, startMarkHere,
} from "../../src/framelab/teach/static/tagger.mjs";
import { DATA, LABELS, chars, tok } from "./fixture.mjs";

const press = (key, unitId = "s02", extra = {}) => ({ key, shift: false, ctrl: false, unitId, ...extra });

test("opening the device menu holds its sentence and range, and uses up the first word", () => {
  const anchored = { ...initialState(), anchor: { unitId: "s02", tokenIndex: tok("simply") } };
  const state = openDeviceMenu(anchored, "s02", ...chars("simply not"));
  assert.deepEqual(state.menu, { kind: "device", unitId: "s02", start: chars("simply")[0], end: chars("not")[1] });
  assert.equal(state.anchor, null);
});

test("a device's letter in the device menu marks that menu's words", () => {
  const state = openDeviceMenu(initialState(), "s02", ...chars("insisted"));
  assert.deepEqual(keyAction(state, press("b"), DATA), { do: "add", span: [...chars("insisted"), "verb-bias"] });
  for (const { name, key } of LABELS.devices) {
    assert.deepEqual(menuKey(state.menu, key, LABELS.devices), { do: "add", span: [...chars("insisted"), name] });
  }
});

test("closing a menu forgets its range and any first word", () => {
  const state = { ...openDeviceMenu(initialState(), "s02", ...chars("insisted")), anchor: { unitId: "s02", tokenIndex: 1 } };
  const closed = closeMenu(state);
  assert.equal(closed.menu, null);
  assert.equal(closed.anchor, null);
  assert.equal(keyAction(closed, press("b", null), DATA), null, "no menu: a letter does nothing");
});

test("a device's letter in the remove menu marks nothing, not the last device menu's words", () => {
  // code review 4: mark "Officials" in the first sentence, then open "Remove a mark?" on
  // "insisted" in the second and press b: no verb-bias span may appear anywhere.
  let state = openDeviceMenu(initialState(), "s01", ...chars("Officials"));
  state = closeMenu(state);
  const marked = [[...chars("insisted"), "verb-bias"]];
  state = openRemoveMenu(state, "s02", tok("insisted"), marked);
  for (const { key } of LABELS.devices) {
    assert.equal(keyAction(state, press(key), DATA), null, `key ${key} in the remove menu`);
  }
  assert.deepEqual(keyAction(state, press("Escape"), DATA), { do: "close" });
});

test("a device's letter in a remove menu opened over a device menu marks nothing", () => {
  const state = openRemoveMenu(openDeviceMenu(initialState(), "s01", ...chars("Officials")),
    "s02", tok("insisted"), [[...chars("insisted"), "verb-bias"]]);
  assert.equal(state.menu.kind, "remove");
  assert.equal(keyAction(state, press("b"), DATA), null);
});

test("the remove menu lists the spans on the word as they were, not as indices", () => {
  const spans = [[...chars("insisted"), "verb-bias"], [...chars("Critics insisted"), "vague-source"]];
  const state = openRemoveMenu(initialState(), "s02", tok("insisted"), spans);
  assert.deepEqual(state.menu, { kind: "remove", unitId: "s02", tokenIndex: tok("insisted"), spans });
  spans[0][2] = "loaded";
  assert.equal(state.menu.spans[0][2], "verb-bias", "a later change to the list does not reach the menu");
});

test("'Start a new mark here' closes the remove menu and makes its word the first word", () => {
  const state = openRemoveMenu(initialState(), "s02", tok("insisted"), [[...chars("insisted"), "verb-bias"]]);
  const next = startMarkHere(state);
  assert.equal(next.menu, null);
  assert.deepEqual(next.anchor, { unitId: "s02", tokenIndex: tok("insisted") });
});

test("Escape closes either menu; the arrows move in it; other keys do nothing at all", () => {
  const device = openDeviceMenu(initialState(), "s02", ...chars("insisted"));
  const remove = openRemoveMenu(initialState(), "s02", tok("insisted"), [[...chars("insisted"), "loaded"]]);
  for (const state of [device, remove]) {
    assert.deepEqual(keyAction(state, press("Escape"), DATA), { do: "close" });
    // the menu takes the keys a sentence would: no kind, no move, no word mode
    for (const key of ["1", "4", "Enter", "x", "Tab", "?", "Delete"]) {
      assert.equal(keyAction(state, press(key), DATA), null, `key ${key} in the ${state.menu.kind} menu`);
    }
    // the arrows go from item to item (role=menu), round the ends
    assert.deepEqual(keyAction(state, press("ArrowDown"), DATA), { do: "menu-move", step: 1 });
    assert.deepEqual(keyAction(state, press("ArrowLeft"), DATA), { do: "menu-move", step: -1 });
  }
  assert.equal(menuStep(6, 1, 7), 0);
  assert.equal(menuStep(0, -1, 7), 6);
  assert.equal(menuStep(2, 1, 7), 3);
});

test("Ctrl+Z undoes, with a menu open or not, and Cmd+Z as well", () => {
  const device = openDeviceMenu(initialState(), "s02", ...chars("insisted"));
  assert.deepEqual(keyAction(device, press("z", null, { ctrl: true }), DATA), { do: "undo" });
  assert.deepEqual(keyAction(initialState(), press("Z", "s01", { ctrl: true, shift: true }), DATA), { do: "undo" });
  assert.equal(keyAction(initialState(), press("z", "s01"), DATA), null, "z alone is not undo");
});
