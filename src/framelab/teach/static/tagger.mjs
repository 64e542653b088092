// framelab tagger: the front end of framelab.teach.tagger.TaggerCore (anywidget).
// No imports: it must work offline, and anywidget loads this file as one module, from
// which relative imports cannot resolve. State lives in the model's traits; this file
// only draws them and turns clicks and keys into trait changes and messages. The one
// exception is what a student chose to see (the view, the sentence shown one at a
// time), which the browser keeps (localStorage), since it is not an answer.
//
// The file has two halves. The first is plain functions that take data and return data
// and never touch the DOM: the view-model (tokens, ranges, spans) and the state machine
// of menus, clicks, drags and keys. They are exported so that tests/js/ can test them
// with node's own test runner. The second half, render(), does the DOM work and calls
// them. Nothing runs at import time but these definitions.

const DEVICE_STYLE = {
  // Okabe-Ito colours, each with its own line pattern; the pill names the device in full.
  "loaded": { color: "#D55E00", pattern: "solid" },
  "intensifier": { color: "#E69F00", pattern: "dashed" },
  "speculation": { color: "#CC79A7", pattern: "dotted" },
  "vague-source": { color: "#56B4E9", pattern: "dashdot" },
  "verb-bias": { color: "#0072B2", pattern: "long" },
  "generalization": { color: "#009E73", pattern: "thick" },
};
const STATUS_TEXT = {
  right: "\u2713 right", accepted: "\u2713 accepted", wrong: "\u2717 wrong",
  untagged: "? untagged",
};
// A sign before each reason under a sentence, so that the list is not read by colour.
const REASON_SIGN = {
  wrong: "\u2717", untagged: "?", accepted: "\u2713", extra: "+", found: "\u2713",
  missed: "\u25CB", partly: "\u25D0", "wrong-device": "\u21C4",
};
const VIEWS = ["list", "card"];

function line(color, pattern) {
  const stops = {
    solid: `linear-gradient(${color}, ${color})`,
    thick: `linear-gradient(${color}, ${color})`,
    dashed: `repeating-linear-gradient(90deg, ${color} 0 6px, transparent 6px 9px)`,
    dotted: `repeating-linear-gradient(90deg, ${color} 0 2px, transparent 2px 5px)`,
    dashdot: `repeating-linear-gradient(90deg, ${color} 0 7px, transparent 7px 9px, ${color} 9px 11px, transparent 11px 13px)`,
    long: `repeating-linear-gradient(90deg, ${color} 0 12px, transparent 12px 15px)`,
  };
  return stops[pattern];
}

// ---- The view-model: traits in, plain data out ------------------------------------

/** The word tokens inside a unit, each as [start, end, index in the whole token list]. */
export function tokensOf(tokens, unit) {
  return tokens
    .map(([start, end], i) => [start, end, i])
    .filter(([start, end]) => start >= unit.start && end <= unit.end);
}

/** The characters [start, end] from token i to token j, in either order. */
export function rangeOf(tokens, i, j) {
  const first = Math.min(i, j), last = Math.max(i, j);
  return [tokens[first][0], tokens[last][1]];
}

/** The indices of the spans that share a character with [start, end), such as one word. */
export function coveringSpans(spans, start, end) {
  return spans.flatMap(([s, e], k) => (s < end && start < e ? [k] : []));
}

function sameSpan([s1, e1, d1], [s2, e2, d2]) {
  return s1 === s2 && e1 === e2 && d1 === d2;
}

/**
 * The spans with one more, unless an equal one is there already: {spans, added}.
 * The new span goes last and the others keep their order, as the Python side keeps
 * an undo history of the list as it was.
 */
export function addSpan(spans, span) {
  if (spans.some((other) => sameSpan(other, span))) return { spans, added: false };
  return { spans: [...spans, [span[0], span[1], span[2]]], added: true };
}

/**
 * The spans without the first one equal to `span`: {spans, removed}. By value, not by
 * index, so a menu drawn before an undo cannot remove a different span.
 */
export function removeSpan(spans, span) {
  const index = spans.findIndex((other) => sameSpan(other, span));
  if (index < 0) return { spans, removed: false };
  return { spans: spans.filter((_, k) => k !== index), removed: true };
}

/** The kinds with one sentence's kind set. */
export function withKind(kinds, unitId, kind) {
  return { ...kinds, [unitId]: kind };
}

/** The kind a key sets ("1" to "4" in the legend), or null. */
export function kindForKey(kinds, key) {
  return kinds.find((k) => k.key === key)?.name ?? null;
}

/** The device a letter marks ("l", "i", "s", "v", "b", "g" in the legend), or null. */
export function deviceForKey(devices, key) {
  return devices.find((d) => d.key === key.toLowerCase())?.name ?? null;
}

/** The id of the sentence `step` places from unitId, stopping at the first and last. */
export function unitAfter(units, unitId, step) {
  const i = units.findIndex((u) => u.id === unitId);
  return units[Math.min(units.length - 1, Math.max(0, i + step))].id;
}

/**
 * Whether token i of a unit is drawn as being chosen: in word mode, as a first word,
 * or inside the words of the open device menu (they stay highlighted while the
 * student picks a device). `tokens` is needed for the last.
 */
export function isSelecting(state, unitId, i, tokens = null) {
  const w = state.wordMode;
  if (w && w.unitId === unitId && i >= Math.min(w.anchor, w.cursor) && i <= Math.max(w.anchor, w.cursor)) {
    return true;
  }
  const m = state.menu;
  if (m && m.kind === "device" && m.unitId === unitId && tokens) {
    const [s, e] = tokens[i];
    if (s < m.end && m.start < e) return true;
  }
  return Boolean(state.anchor && state.anchor.unitId === unitId && state.anchor.tokenIndex === i);
}

/**
 * Where each mark's pill goes in a unit: a Map from a token index to the indices of
 * the spans whose pill follows that token (the last token the span touches).
 * `unitTokens` is tokensOf(tokens, unit).
 */
export function pillPlaces(spans, unitTokens) {
  const places = new Map();
  spans.forEach(([s, e], k) => {
    const inside = unitTokens.filter(([ts, te]) => ts < e && s < te);
    if (!inside.length) return;
    const last = inside[inside.length - 1][2];
    places.set(last, [...(places.get(last) || []), k]);
  });
  return places;
}

/**
 * The spans that cover the gap between two neighbouring tokens (so that one mark,
 * one key phrase or one selection is drawn as one stretch, not word by word).
 */
export function gapSpans(spans, before, after) {
  return spans.flatMap(([s, e], k) => (s < before[1] && after[0] < e ? [k] : []));
}

/**
 * The edges of the key's boxes on token [start, end]: {inside, first, last}: whether
 * a key phrase covers it, starts on it, ends on it.
 */
export function boxEdges(spans, unitTokens, start, end) {
  const covering = spans.filter(([s, e]) => s < end && start < e);
  const firstOf = ([s, e]) => unitTokens.find(([ts, te]) => ts < e && s < te);
  const lastOf = ([s, e]) => unitTokens.filter(([ts, te]) => ts < e && s < te).at(-1);
  return {
    inside: covering.length > 0,
    first: covering.some((span) => firstOf(span)?.[0] === start),
    last: covering.some((span) => lastOf(span)?.[0] === start),
  };
}

/** The words of the undo toast after a mark is removed. */
export function removedText(span, text) {
  return `Removed ${span[2]} on "${text.slice(span[0], span[1])}".`;
}

// ---- What the student chose to see, kept in the browser -----------------------------
//
// The view (the whole text or one sentence at a time) is one choice for every text;
// the sentence shown in the one-at-a-time view is kept per text. Both live in the
// browser's localStorage (a `storage` with getItem and setItem), so they survive a
// rerun of the cell and a kernel restart; nothing of it goes into the answers.

const VIEW_KEY = "framelab.tagger.view";
const PLACE_KEY = "framelab.tagger.place.";

/** The view last chosen: "list" (the whole text, the default) or "card". */
export function loadView(storage) {
  try {
    const view = storage && storage.getItem(VIEW_KEY);
    return VIEWS.includes(view) ? view : "list";
  } catch { return "list"; }
}

export function saveView(storage, view) {
  try { if (storage && VIEWS.includes(view)) storage.setItem(VIEW_KEY, view); } catch { /* private mode */ }
}

/** The sentence id last shown one at a time for this text, if it is still one of `units`. */
export function loadPlace(storage, documentId, units) {
  try {
    const id = storage && storage.getItem(PLACE_KEY + documentId);
    return units.some((u) => u.id === id) ? id : (units[0] ? units[0].id : null);
  } catch { return units[0] ? units[0].id : null; }
}

export function savePlace(storage, documentId, unitId) {
  try { if (storage && unitId) storage.setItem(PLACE_KEY + documentId, unitId); } catch { /* private mode */ }
}

// ---- What the tagger is in the middle of -------------------------------------------
//
// Besides the traits, the front end remembers four things:
//   anchor       {unitId, tokenIndex}: the first word of a mark, chosen by a click
//   menu         null, {kind: "device", unitId, start, end}: "Mark ... as:", or
//                {kind: "remove", unitId, tokenIndex, spans}: "Remove a mark?" for a
//                marked word, with the spans on it by value. The open menu is the
//                only place a range lives, so closing it forgets the range.
//   wordMode     {unitId, anchor, cursor}: token indices, marking words by keyboard
//   justDragged  true from a mouseup that ended a drag until the click that follows it
// Every function below returns a new state and leaves the old one as it was.

export function initialState() {
  return { anchor: null, menu: null, wordMode: null, justDragged: false };
}

/** Open "Mark ... as:" for [start, end]; the first word, if any, has been used. */
export function openDeviceMenu(state, unitId, start, end) {
  return { ...state, anchor: null, menu: { kind: "device", unitId, start, end } };
}

/** Open "This word is marked. Remove a mark?" for token tokenIndex and its spans. */
export function openRemoveMenu(state, unitId, tokenIndex, spans) {
  return { ...state, menu: { kind: "remove", unitId, tokenIndex, spans: spans.map((s) => [...s]) } };
}

/**
 * Close the menu. Its range goes with it, and so does a first word chosen before it
 * opened, so that nothing later can act on a range the student no longer sees.
 */
export function closeMenu(state) {
  return { ...state, menu: null, anchor: null };
}

/** "Start a new mark here" in the remove menu: close it; its word is the first word. */
export function startMarkHere(state) {
  const { unitId, tokenIndex } = state.menu;
  return { ...closeMenu(state), anchor: { unitId, tokenIndex } };
}

/**
 * A key pressed while a menu is open: {do: "close"} for Escape; {do: "add", span} for
 * a device's letter in the device menu (the remove menu has no range to mark); null
 * for any other key, which the tagger then leaves alone.
 */
export function menuKey(menu, key, devices) {
  if (key === "Escape") return { do: "close" };
  if (["ArrowDown", "ArrowRight"].includes(key)) return { do: "menu-move", step: 1 };
  if (["ArrowUp", "ArrowLeft"].includes(key)) return { do: "menu-move", step: -1 };
  if (menu.kind !== "device") return null;
  const device = deviceForKey(devices, key);
  return device ? { do: "add", span: [menu.start, menu.end, device] } : null;
}

/** The index of the menu item an arrow moves to, round the end. */
export function menuStep(index, step, count) {
  return count ? (index + step + count) % count : 0;
}

/**
 * The keys that leave the tagger for the notebook: Tab and Shift+Tab (to move on)
 * and Shift+Enter (to run the cell). Every other key stops in the tagger, so that no
 * notebook command (m turns a cell into Markdown, x cuts it, a and b add cells, d d
 * deletes it) fires while a student tags.
 */
export function passesThrough({ key, shift, ctrl, alt }) {
  if (key === "Tab") return !ctrl && !alt;
  return key === "Enter" && shift && !ctrl && !alt;
}

/**
 * A key on a control in a sentence's row (a kind chip or a mark's pill, `index` of
 * `count`): {to: n} another control, {to: "unit"} back to the sentence, {unit: step}
 * the sentence above or below, or null.
 */
export function rowStep(key, index, count) {
  if (key === "ArrowRight") return { to: Math.min(count - 1, index + 1) };
  if (key === "ArrowLeft") return index === 0 ? { to: "unit" } : { to: index - 1 };
  if (key === "Home") return { to: 0 };
  if (key === "End") return { to: count - 1 };
  if (key === "Escape") return { to: "unit" };
  if (key === "ArrowDown") return { unit: 1 };
  if (key === "ArrowUp") return { unit: -1 };
  return null;
}

// ---- The mouse ----------------------------------------------------------------------
//
// A drag over words ends with a mouseup and then a click. The mouseup opens the device
// menu and clears the browser's selection, so by the time the click arrives the
// selection no longer shows that there was a drag: the click would then open "Remove a
// mark?" over the device menu, or choose a stray first word. justDragged carries the
// fact from the mouseup to that click, which then does nothing. A mousedown clears it,
// in case the click never came to the list.

export function mouseDown(state) {
  return { ...state, justDragged: false };
}

/**
 * A mouseup that selected from token `from` to token `to` ({unitId, tokenIndex} each):
 * {state, effect}, effect "menu" (the device menu is open for those words) or
 * "refused" (the words are in two sentences).
 */
export function dragEnd(state, from, to, { tokens }) {
  if (from.unitId !== to.unitId) return { state: { ...state, justDragged: true }, effect: "refused" };
  const [start, end] = rangeOf(tokens, from.tokenIndex, to.tokenIndex);
  return { state: { ...openDeviceMenu(state, from.unitId, start, end), justDragged: true }, effect: "menu" };
}

/**
 * A click on token `target` ({unitId, tokenIndex, shift}), or on no token (null):
 * {state, effect}, effect "none", "menu" (shift-click after a first word: the device
 * menu; a click on a marked word: the remove menu) or "anchor" (a first word chosen).
 */
export function click(state, target, { tokens, spans }) {
  if (state.justDragged) return { state: { ...state, justDragged: false }, effect: "none" };
  if (!target) return { state, effect: "none" };
  const { unitId, tokenIndex, shift } = target;
  if (shift && state.anchor && state.anchor.unitId === unitId) {
    const [start, end] = rangeOf(tokens, state.anchor.tokenIndex, tokenIndex);
    return { state: openDeviceMenu(state, unitId, start, end), effect: "menu" };
  }
  const [start, end] = tokens[tokenIndex];
  const covering = coveringSpans(spans, start, end).map((k) => spans[k]);
  if (covering.length) return { state: openRemoveMenu(state, unitId, tokenIndex, covering), effect: "menu" };
  return { state: { ...state, anchor: { unitId, tokenIndex } }, effect: "anchor" };
}

// ---- The keyboard ---------------------------------------------------------------------

/** Word mode on a unit's first word, or null for a unit without words. */
export function startWordMode(tokens, unit) {
  const first = tokensOf(tokens, unit)[0];
  return first ? { unitId: unit.id, anchor: first[2], cursor: first[2] } : null;
}

/** Word mode after an arrow: the cursor moves one word, within the unit; without
 *  `extend` (Shift) the phrase shrinks to that word. */
export function moveWordCursor(wordMode, tokens, unit, step, extend) {
  const inUnit = tokensOf(tokens, unit).map(([, , i]) => i);
  const pos = inUnit.indexOf(wordMode.cursor);
  const cursor = inUnit[Math.min(inUnit.length - 1, Math.max(0, pos + step))];
  return { ...wordMode, cursor, anchor: extend ? wordMode.anchor : cursor };
}

function wordModeKey(state, unit, key, shift, tokens) {
  const w = state.wordMode;
  if (key === "ArrowRight" || key === "ArrowLeft") {
    const step = key === "ArrowRight" ? 1 : -1;
    return { do: "word-move", wordMode: moveWordCursor(w, tokens, unit, step, shift) };
  }
  if (key === "Enter") return { do: "word-mark", unitId: unit.id, range: rangeOf(tokens, w.anchor, w.cursor) };
  if (key === "Delete" || key === "Backspace") return { do: "remove-at", unitId: unit.id, tokenIndex: w.cursor };
  if (key === "Escape") return { do: "word-leave" };
  return null;
}

/**
 * What a key press means, as an action for render to carry out, or null when it is
 * not one of the tagger's keys. `press` is {key, shift, ctrl, unitId, on}: ctrl for
 * Ctrl or Cmd; unitId the sentence with the focus (or null); `on` what has the focus
 * inside it: "unit" (the sentence itself, the default), "chip" or "pill" (its
 * controls), "other". `data` is {labels, tokens, units, spans} from the traits. The
 * actions:
 *   {do: "undo"}                        Ctrl+Z, anywhere in the tagger
 *   {do: "save-note"}                   Ctrl+S: the answers save themselves
 *   {do: "keys"}                        ?: the key sheet
 *   {do: "close"}, {do: "add", span}, {do: "menu-move", step}   see menuKey
 *   {do: "word-move", wordMode}, {do: "word-mark", unitId, range}, {do: "word-leave"}
 *   {do: "remove-at", unitId, tokenIndex}   Delete on a word in word mode
 *   {do: "kind", unitId, kind}          1-4, on a sentence or its controls
 *   {do: "focus", unitId}               Up and Down, Home and End
 *   {do: "row", unitId, index}          Right: into the sentence's kinds and marks
 *   {do: "remove-in", unitId}           Delete on a sentence: which of its marks?
 *   {do: "word-start", wordMode}        Enter
 *   {do: "drop-anchor"}                 Escape with a first word chosen
 * Keys on a control (chip or pill) that move between controls are rowStep's.
 */
export function keyAction(state, press, { labels, tokens, units, spans = [] }) {
  const { key, shift, ctrl, unitId, on = "unit" } = press;
  if (ctrl && key.toLowerCase() === "z") return { do: "undo" };
  if (ctrl && key.toLowerCase() === "s") return { do: "save-note" };
  if (state.menu) return menuKey(state.menu, key, labels.devices);
  if (key === "?") return { do: "keys" };
  const unit = unitId ? units.find((u) => u.id === unitId) : null;
  if (!unit || ctrl) return null;
  const kind = kindForKey(labels.kinds, key);
  if (on !== "unit") return kind && on !== "other" ? { do: "kind", unitId, kind } : null;
  if (state.wordMode && state.wordMode.unitId === unitId) {
    const action = wordModeKey(state, unit, key, shift, tokens);
    if (action) return action;
  }
  if (kind) return { do: "kind", unitId, kind };
  if (key === "ArrowDown") return { do: "focus", unitId: unitAfter(units, unitId, 1) };
  if (key === "ArrowUp") return { do: "focus", unitId: unitAfter(units, unitId, -1) };
  if (key === "Home") return { do: "focus", unitId: units[0].id };
  if (key === "End") return { do: "focus", unitId: units[units.length - 1].id };
  if (key === "ArrowRight") return { do: "row", unitId, index: 0 };
  if (key === "Enter") {
    const wordMode = startWordMode(tokens, unit);
    return wordMode ? { do: "word-start", wordMode } : null;
  }
  if ((key === "Delete" || key === "Backspace") && spans.some(([s, e]) => s < unit.end && unit.start < e)) {
    return { do: "remove-in", unitId };
  }
  if (key === "Escape" && state.anchor) return { do: "drop-anchor" };
  return null;
}

// ---- The DOM --------------------------------------------------------------------------

let instances = 0; // element ids must be unique when a page holds two taggers

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(className, text, onClick) {
  const node = el("button", className, text);
  node.type = "button";
  if (onClick) node.addEventListener("click", onClick);
  return node;
}

function setDevice(node, device) {
  node.dataset.device = device;
  node.style.setProperty("--fl-c", DEVICE_STYLE[device].color);
}

/** A device's underline: its background image and size (the thick one is 4 px). */
function deviceLine(device) {
  const { color, pattern } = DEVICE_STYLE[device];
  return { image: line(color, pattern), size: `100% ${pattern === "thick" ? 4 : 2}px` };
}

/** A swatch of a device's line pattern, as the legend and the palette show it. */
function swatch(device) {
  const node = el("span", "fl-swatch");
  node.setAttribute("aria-hidden", "true");
  const { image, size } = deviceLine(device);
  node.style.backgroundImage = image;
  node.style.backgroundSize = size;
  setDevice(node, device);
  return node;
}

const KEY_SHEET = [
  ["Tab", "go into the text, or out of it (the whole text is one stop); Shift+Tab goes back"],
  ["\u2191 \u2193", "the sentence above or below (Home and End: the first and the last)"],
  ["1 2 3 4", "give the sentence its kind: 1 fact, 2 attributed, 3 opinion, 4 structure"],
  ["\u2192", "go to the sentence's kind buttons and marks; \u2190 or Esc comes back"],
  ["Enter", "move word by word: \u2190 \u2192 move, Shift+\u2190 \u2192 take in more words, Enter marks them"],
  ["l i s v b g", "in the device menu: loaded, intensifier, speculation, vague-source, verb-bias, generalization"],
  ["Delete", "remove the mark on the highlighted word (on a whole sentence: choose which mark)"],
  ["Ctrl+Z", "undo the last change"],
  ["Esc", "close a menu or this sheet, or stop moving word by word"],
  ["?", "open or close this sheet"],
  ["Shift+Enter", "run the notebook cell (the only notebook key that works in the tagger)"],
];
const KINDS_ONLY_SHEET = new Set(["l i s v b g", "Delete"]);

function render({ model, el: host }) {
  const uid = `fl${++instances}`;
  const storage = (() => { try { return window.localStorage; } catch { return null; } })();
  const root = el("section", "fl-root");
  root.setAttribute("aria-label", "Tagger");
  root.setAttribute("aria-roledescription", "tagger");

  // The bar stays in view while the student scrolls through the text.
  const bar = el("div", "fl-bar");
  const checkButton = button("fl-button fl-check", "\u2713 Check", () => model.send({ event: "check" }));
  const undoButton = button("fl-button", "\u21B6 Undo", () => undo());
  undoButton.title = "Undo the last change (Ctrl+Z)";
  const hintButton = button("fl-button", "Machine hints", () => {
    model.send({ event: "hints", on: !(model.get("bar") || {}).hints });
  });
  hintButton.title = "Show or hide a program's guesses (often wrong)";
  const viewButton = button("fl-button", "", () => setView(view === "list" ? "card" : "list"));
  const keysButton = button("fl-button", "? Keys", () => toggleKeys());
  keysButton.setAttribute("aria-expanded", "false");
  const progress = el("span", "fl-progress");
  const saved = el("span", "fl-saved");
  saved.setAttribute("role", "status");
  const buttons = el("div", "fl-buttons");
  buttons.append(checkButton, undoButton, hintButton, viewButton, keysButton);
  const facts = el("div", "fl-facts");
  facts.append(progress, saved);
  const notice = el("div", "fl-notice");
  notice.setAttribute("role", "status");
  notice.setAttribute("aria-live", "polite");
  const toast = el("div", "fl-toast");
  toast.setAttribute("role", "status");
  toast.hidden = true;
  // What the tagger just did ("Marked ... as loaded"), in the bar where the eye is, and
  // read out by screen readers; the instructions stay put below the legend.
  const status = el("div", "fl-said");
  status.setAttribute("aria-live", "polite");
  const help = el("div", "fl-help");
  bar.append(buttons, facts, status, toast, notice);

  const legend = el("details", "fl-legend");
  const keySheet = el("div", "fl-keysheet");
  keySheet.setAttribute("role", "dialog");
  keySheet.setAttribute("aria-label", "Keys of the tagger");
  keySheet.hidden = true;
  keySheet.tabIndex = -1;
  const body = el("div", "fl-body");
  const palette = el("div", "fl-palette");
  palette.hidden = true;
  root.append(bar, legend, keySheet, help, body, palette);
  host.append(root);

  let state = initialState();
  let view = loadView(storage);
  let place = null; // the sentence shown one at a time
  let current = null; // the sentence that holds the list's one Tab stop
  let toastTimer = null;
  const say = (words) => { status.textContent = words; };
  const marking = () => (model.get("bar") || {}).devices !== false;
  const drawHelp = () => {
    help.textContent = marking()
      ? "Click a kind above each sentence, or Tab into the text and use \u2191 \u2193 and 1-4. To mark a device, drag over words, or click the first and shift-click the last. ? shows every key."
      : "Click a kind above each sentence, or Tab into the text and use \u2191 \u2193 and 1-4. This lesson is about kinds only. ? shows every key.";
  };

  const text = () => model.get("text");
  const units = () => model.get("units");
  const tokens = () => model.get("tokens");
  const labels = () => model.get("labels");
  const docId = () => model.get("document") || "text";

  // ---- the state of the bar and the notice ----

  // A sentence brought into view by the keyboard must not hide under the bar.
  const barHeight = () => root.style.setProperty("--fl-bar-h", `${bar.offsetHeight}px`);
  if (typeof ResizeObserver !== "undefined") new ResizeObserver(barHeight).observe(bar);

  function drawBar() {
    const info = model.get("bar") || {};
    hintButton.hidden = info.hints === null || info.hints === undefined;
    checkButton.hidden = info.check === false;
    checkButton.textContent = `\u2713 ${info.check_label || "Check"}`;
    drawHelp();
    hintButton.setAttribute("aria-pressed", String(Boolean(info.hints)));
    viewButton.textContent = view === "list" ? "One at a time" : "Whole text";
    viewButton.title = view === "list" ? "Show one sentence at a time, with big buttons" : "Show the whole text";
    progress.textContent = info.progress || "";
    saved.textContent = info.saved || "";
    saved.dataset.ok = String(info.saved_ok !== false);
  }

  function drawNotice() {
    const shown = model.get("notice") || {};
    notice.replaceChildren();
    notice.dataset.level = shown.level || "info";
    notice.hidden = !shown.text;
    if (!shown.text) return;
    notice.append(el("span", "fl-notice-text", shown.text));
    if (shown.lines && shown.lines.length) {
      // device by device: folded, so that the bar stays short
      const more = el("details", "fl-notice-more");
      more.append(el("summary", "", "Device by device"));
      const list = el("ul", "fl-notice-lines");
      for (const words of shown.lines) list.append(el("li", "", words));
      more.append(list);
      notice.append(more);
    }
  }

  function showToast(words) {
    toast.replaceChildren(el("span", "", words + " "), button("fl-button fl-toast-undo", "Undo", () => { hideToast(); undo(); }));
    toast.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(hideToast, 10000);
  }

  function hideToast() { toast.hidden = true; clearTimeout(toastTimer); }

  // ---- the legend and the key sheet ----

  function drawLegend() {
    const { kinds, devices } = labels();
    legend.replaceChildren();
    legend.append(el("summary", "", "Legend: the labels and the question to ask"));
    const table = el("table", "fl-legend-table");
    const head = el("tr");
    for (const words of ["label", "looks like", "what it is", "the question to ask"]) {
      const th = el("th", "", words);
      th.scope = "col";
      head.append(th);
    }
    const thead = el("thead");
    thead.append(head);
    const tbody = el("tbody");
    for (const k of kinds) {
      const row = el("tr");
      const name = el("th", "", `${k.name} (key ${k.key})`);
      name.scope = "row";
      const looks = el("td");
      const chip = el("span", `fl-chip fl-sample fl-kind-${k.name}`, k.name);
      chip.dataset.pressed = "true";
      looks.append(chip);
      row.append(name, looks, el("td", "", k.definition || ""), el("td", "", k.question || ""));
      tbody.append(row);
    }
    for (const d of devices) {
      const row = el("tr");
      const name = el("th", "", `${d.name} (key ${d.key})`);
      name.scope = "row";
      const looks = el("td");
      const words = el("span", "fl-tok fl-marked fl-sample", "words");
      paintMarked(words, [[0, 0, d.name]]);
      const pill = el("span", "fl-pill fl-sample", d.name);
      setDevice(pill, d.name);
      looks.append(words, " ", pill);
      row.append(name, looks, el("td", "", d.definition || ""), el("td", "", d.question || ""));
      tbody.append(row);
    }
    const outline = (cls, label, what) => {
      const row = el("tr");
      const name = el("th", "", label);
      name.scope = "row";
      const looks = el("td");
      looks.append(el("span", cls, "words"));
      row.append(name, looks, el("td", "", what), el("td"));
      tbody.append(row);
    };
    outline("fl-tok fl-sample fl-key fl-key-first fl-key-last", "key phrase (after Check)", "A solid box, with a \u201ckey:\u201d label: a phrase the answer key marks.");
    outline("fl-tok fl-sample fl-hint", "machine guess", "A dotted line above, with a \u201cmachine guess\u201d label: a program's guess, often wrong.");
    table.append(thead, tbody);
    legend.append(table, el("p", "fl-legend-note", "Click a mark's pill (its \u00D7) to remove it, or click a marked word and choose. Press ? for every key."));
  }

  function drawKeySheet() {
    keySheet.replaceChildren(el("h3", "fl-keysheet-title", "Keys"));
    const table = el("table");
    for (const [keys, what] of KEY_SHEET.filter(([k]) => marking() || !KINDS_ONLY_SHEET.has(k))) {
      if (!marking() && keys === "Enter") continue;
      const row = el("tr");
      const th = el("th", "");
      th.scope = "row";
      th.append(el("kbd", "", keys));
      row.append(th, el("td", "", what));
      table.append(row);
    }
    keySheet.append(table, button("fl-button", "Close (Esc)", () => toggleKeys(false)));
  }

  function toggleKeys(open = keySheet.hidden) {
    keySheet.hidden = !open;
    keysButton.setAttribute("aria-expanded", String(open));
    if (open) {
      drawKeySheet();
      keySheet.focus({ preventScroll: true });
      keySheet.scrollIntoView({ block: "nearest" });
    } else focusUnit(current);
  }

  // ---- the changes a student makes ----

  function update(next) {
    const before = state;
    state = next;
    if (next.anchor !== before.anchor || next.wordMode !== before.wordMode || next.menu !== before.menu) draw();
    if (next.menu !== before.menu) drawMenu();
  }

  function setKind(unitId, kind) {
    model.set("kinds", withKind(model.get("kinds"), unitId, kind));
    model.save_changes();
    say(`${unitId} is now ${kind}.`);
  }

  function markSpan(span) {
    const { spans, added } = addSpan(model.get("spans"), span);
    if (!added) { say("That mark is there already."); return; }
    model.set("spans", spans);
    model.save_changes();
    say(`Marked "${text().slice(span[0], span[1])}" as ${span[2]}.`);
  }

  function unmarkSpan(span) {
    const { spans, removed } = removeSpan(model.get("spans"), span);
    if (!removed) return;
    model.set("spans", spans);
    model.save_changes();
    const words = removedText(span, text());
    say(words);
    showToast(words);
  }

  function undo() {
    // An event, not state: the Python side answers it in its on_msg handler.
    model.send({ event: "undo" });
    say("Undone.");
  }

  function setView(next) {
    view = next;
    saveView(storage, view);
    if (view === "card") place = current || place || loadPlace(storage, docId(), units());
    drawBar();
    draw();
    focusUnit(view === "card" ? place : current);
  }

  function showCard(unitId) {
    place = unitId;
    current = unitId;
    savePlace(storage, docId(), unitId);
    draw();
    focusUnit(unitId);
  }

  // ---- the menus: a palette next to the words ----

  function close(refocus = true) {
    const unitId = state.menu && state.menu.unitId;
    update(closeMenu(state));
    if (refocus && unitId) focusUnit(unitId);
  }

  function menuItem(className, onClick) {
    const item = button(`fl-menu-item ${className || ""}`, undefined, onClick);
    item.setAttribute("role", "menuitem");
    item.tabIndex = -1;
    return item;
  }

  function fillDeviceMenu(items, { start, end }) {
    for (const device of labels().devices) {
      const item = menuItem("fl-device-item", () => { close(); markSpan([start, end, device.name]); });
      setDevice(item, device.name);
      const name = el("span", "fl-menu-name");
      name.append(el("kbd", "", device.key), " ", device.name);
      item.append(swatch(device.name), name, el("span", "fl-menu-question", device.question || ""));
      items.append(item);
    }
    return `Mark "${text().slice(start, end)}" as:`;
  }

  function fillRemoveMenu(items, { spans }) {
    for (const span of spans) {
      const [s, e, d] = span;
      const item = menuItem("fl-remove", () => { close(); unmarkSpan(span); });
      setDevice(item, d);
      item.append(swatch(d), el("span", "fl-menu-name", `Remove ${d}: "${text().slice(s, e)}"`));
      items.append(item);
    }
    if (state.menu.tokenIndex !== null && state.menu.tokenIndex !== undefined) {
      items.append(Object.assign(menuItem("", () => { update(startMarkHere(state)); sayAnchor(); }), { textContent: "Start a new mark here" }));
    }
    return spans.length > 1 || state.menu.tokenIndex === null ? "Which mark do you remove?" : "This word is marked. Remove its mark?";
  }

  function drawMenu() {
    palette.replaceChildren();
    palette.hidden = !state.menu;
    if (!state.menu) return;
    const items = el("div", "fl-menu");
    items.setAttribute("role", "menu");
    const title = el("div", "fl-menu-title");
    title.id = `${uid}-menu-title`;
    items.setAttribute("aria-labelledby", title.id);
    title.textContent = state.menu.kind === "device" ? fillDeviceMenu(items, state.menu) : fillRemoveMenu(items, state.menu);
    const cancel = menuItem("fl-cancel", () => close()); // every menu ends with it
    cancel.append(el("kbd", "", "Esc"), " Cancel");
    items.append(cancel);
    palette.append(title, items);
    placePalette();
    const first = items.querySelector(".fl-menu-item");
    first.tabIndex = 0;
    first.focus({ preventScroll: true });
    palette.scrollIntoView({ block: "nearest" });
    if (state.menu.kind === "device") say(`Choose a device by its letter or with the arrows; Esc cancels.`);
  }

  // Put the palette just under the words it is about (or above them when there is no room below).
  function placePalette() {
    const { unitId } = state.menu;
    const item = body.querySelector(`li[data-id="${unitId}"]`);
    const { tokenIndex } = state.menu; // the word a remove menu is about, if any
    const selector = tokenIndex === null || tokenIndex === undefined ? ".fl-selecting" : `.fl-tok[data-i="${tokenIndex}"]`;
    const chosen = item ? [...item.querySelectorAll(selector)] : [];
    const anchor = chosen.at(-1) || item;
    if (!anchor) return;
    const box = root.getBoundingClientRect();
    const at = anchor.getBoundingClientRect();
    const width = Math.min(palette.offsetWidth || 360, box.width);
    const left = Math.max(0, Math.min(at.left - box.left, box.width - width));
    palette.style.left = `${left}px`;
    palette.style.top = `${at.bottom - box.top + 6}px`;
  }

  function sayAnchor() {
    say("First word chosen. Shift-click the last word of the phrase, or drag instead.");
  }

  // ---- focus: one Tab stop for the list, the arrows inside ----

  function focusUnit(unitId) {
    if (!unitId) return;
    if (view === "card" && unitId !== place) { showCard(unitId); return; }
    const item = body.querySelector(`li[data-id="${unitId}"]`);
    if (!item) return;
    setCurrent(unitId);
    item.focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest" });
  }

  function setCurrent(unitId) {
    current = unitId;
    for (const item of body.querySelectorAll("li.fl-unit")) item.tabIndex = item.dataset.id === unitId ? 0 : -1;
  }

  function rowControls(item) {
    return [...item.querySelectorAll(".fl-chip, .fl-pill")];
  }

  function focusControl(item, index) {
    const controls = rowControls(item);
    if (!controls.length) return;
    controls[Math.max(0, Math.min(controls.length - 1, index))].focus();
  }

  // ---- drawing the sentences ----

  function paintMarked(node, covering) {
    node.classList.add("fl-marked");
    setDevice(node, covering[0][2]);
    const lines = covering.map(([, , d]) => deviceLine(d));
    node.style.backgroundImage = lines.map((l) => l.image).join(", ");
    node.style.backgroundSize = lines.map((l) => l.size).join(", ");
    node.style.backgroundPosition = covering.map((_, k) => `0 calc(100% - ${k * 5}px)`).join(", ");
    node.style.paddingBottom = `${covering.length * 5}px`;
  }

  function drawUnit(unit, n, all, ctx) {
    const { kinds, spans, statuses, reasons, keySpans, hintKinds, hintSpans } = ctx;
    const item = el("li", "fl-unit" + (unit.structure ? " fl-structure" : ""));
    item.tabIndex = unit.id === current ? 0 : -1;
    item.dataset.id = unit.id;
    const kind = kinds[unit.id];
    if (kind) item.dataset.kind = kind;
    const idNode = el("span", "fl-id", unit.id);
    idNode.id = `${uid}-${unit.id}-id`;
    const where = el("span", "fl-sr", `, ${n + 1} of ${all.length}, ${kind ? kind : "untagged"}`);
    where.id = `${uid}-${unit.id}-where`;
    const gutter = el("div", "fl-gutter");
    gutter.append(idNode, where);

    const main = el("div", "fl-main");
    const chips = el("div", "fl-chips");
    chips.setAttribute("role", "group");
    chips.setAttribute("aria-label", `Kind of ${unit.id}`);
    for (const k of labels().kinds) {
      const chip = button(`fl-chip fl-kind-${k.name}`, `${k.key} ${k.name}`, (event) => {
        event.stopPropagation();
        setKind(unit.id, k.name);
        if (view === "list" || document.activeElement === chip) chip.focus(); else focusUnit(unit.id);
      });
      chip.tabIndex = -1;
      chip.title = k.question || "";
      chip.setAttribute("aria-pressed", String(kind === k.name));
      chips.append(chip);
    }
    if (statuses[unit.id]) {
      const status = el("span", "fl-status", STATUS_TEXT[statuses[unit.id]] || statuses[unit.id]);
      status.dataset.status = statuses[unit.id];
      chips.append(status);
    }
    if (hintKinds[unit.id]) {
      const guess = el("span", "fl-guess", `machine guess: ${hintKinds[unit.id]}?`);
      guess.title = "A program's guess from word lists. It is often wrong.";
      chips.append(guess);
    }

    const para = el("p", "fl-text");
    para.id = `${uid}-${unit.id}-text`;
    const inUnit = tokensOf(tokens(), unit);
    const pills = pillPlaces(spans, inUnit);
    const keyLabels = pillPlaces(keySpans, inUnit);
    const hintLabels = pillPlaces(hintSpans, inUnit);
    let cursor = unit.start;
    inUnit.forEach(([s, e, i], k) => {
      if (s > cursor) {
        const words = text().slice(cursor, s);
        const before = inUnit[k - 1];
        if (before) {
          // a gap inside a mark, a key phrase or a selection is drawn with it
          const gap = el("span", "fl-gap", words);
          const marked = gapSpans(spans, before, [s, e]).map((j) => spans[j]);
          if (marked.length) paintMarked(gap, marked);
          if (gapSpans(keySpans, before, [s, e]).length) gap.classList.add("fl-key");
          if (isSelecting(state, unit.id, before[2], tokens()) && isSelecting(state, unit.id, i, tokens())) gap.classList.add("fl-selecting");
          para.append(gap);
        } else para.append(document.createTextNode(words));
      }
      const tok = el("span", "fl-tok", text().slice(s, e));
      tok.dataset.i = i;
      const covering = coveringSpans(spans, s, e).map((j) => spans[j]);
      if (covering.length) {
        paintMarked(tok, covering);
        tok.title = covering.map(([, , d]) => d).join(" + ");
      }
      const edges = boxEdges(keySpans, inUnit, s, e);
      if (edges.inside) {
        tok.classList.add("fl-key");
        if (edges.first) tok.classList.add("fl-key-first");
        if (edges.last) tok.classList.add("fl-key-last");
      }
      if (coveringSpans(hintSpans, s, e).length) tok.classList.add("fl-hint");
      if (isSelecting(state, unit.id, i, tokens())) tok.classList.add("fl-selecting");
      if (state.wordMode && state.wordMode.unitId === unit.id && state.wordMode.cursor === i) tok.classList.add("fl-cursor");
      para.append(tok);
      for (const j of pills.get(i) || []) {
        const span = spans[j];
        const pill = button("fl-pill", span[2], (event) => { event.stopPropagation(); unmarkSpan(span); focusUnit(unit.id); });
        setDevice(pill, span[2]);
        pill.tabIndex = -1;
        pill.append(el("span", "fl-sr", `: remove the mark on "${text().slice(span[0], span[1])}"`));
        const x = el("span", "fl-x", "\u00D7");
        x.setAttribute("aria-hidden", "true");
        pill.append(x);
        pill.title = `Remove this ${span[2]} mark`;
        para.append(pill);
      }
      for (const j of keyLabels.get(i) || []) {
        const label = el("span", "fl-keylabel", `key: ${keySpans[j][2]}`);
        para.append(label);
      }
      for (const j of hintLabels.get(i) || []) {
        para.append(el("span", "fl-hintlabel", `machine guess: ${hintSpans[j][2]}?`));
      }
      cursor = e;
    });
    if (unit.end > cursor) para.append(document.createTextNode(text().slice(cursor, unit.end)));
    item.setAttribute("aria-labelledby", `${idNode.id} ${where.id}`);
    item.setAttribute("aria-describedby", para.id);
    main.append(chips, para);
    const why = reasons[unit.id] || [];
    if (why.length) {
      const list = el("ul", "fl-reasons");
      list.setAttribute("aria-label", `Why, for ${unit.id}`);
      for (const reason of why) {
        const line = el("li", "fl-reason");
        line.dataset.status = reason.status;
        const sign = el("span", "fl-sign", REASON_SIGN[reason.status] || "\u2022");
        sign.setAttribute("aria-hidden", "true");
        line.append(sign, " ", reason.text);
        list.append(line);
      }
      main.append(list);
    }
    item.append(gutter, main);
    return item;
  }

  function draw() {
    const had = document.activeElement && root.contains(document.activeElement) ? document.activeElement : null;
    const focusedId = had ? had.closest("li.fl-unit")?.dataset.id : null;
    const focusedControl = had && had.matches(".fl-chip, .fl-pill") ? rowControls(had.closest("li")).indexOf(had) : -1;
    const all = units();
    if (!current || !all.some((u) => u.id === current)) current = all[0] ? all[0].id : null;
    const marks = model.get("marks") || {};
    const hints = model.get("hints") || {};
    const ctx = {
      kinds: model.get("kinds"),
      spans: model.get("spans"),
      statuses: marks.sentences || {},
      reasons: marks.reasons || {},
      keySpans: marks.spans || [],
      hintKinds: hints.sentences || {},
      hintSpans: hints.spans || [],
    };
    const list = el("ol", "fl-units");
    body.replaceChildren();
    body.dataset.view = view;
    if (view === "card") {
      if (!place || !all.some((u) => u.id === place)) place = loadPlace(storage, docId(), all);
      const n = all.findIndex((u) => u.id === place);
      current = place;
      const card = el("div", "fl-card");
      const head = el("div", "fl-card-head");
      const tagged = all.filter((u) => ctx.kinds[u.id]).length;
      head.append(el("span", "fl-card-count", `${n + 1} of ${all.length}`), el("span", "fl-card-tagged", `${tagged} tagged`));
      list.start = n + 1;
      if (n >= 0) list.append(drawUnit(all[n], n, all, ctx));
      const nav = el("div", "fl-card-nav");
      const back = button("fl-button fl-big", "\u2190 Back", () => showCard(unitAfter(all, place, -1)));
      const next = button("fl-button fl-big", "Next \u2192", () => showCard(unitAfter(all, place, 1)));
      back.disabled = n <= 0;
      next.disabled = n >= all.length - 1;
      nav.append(back, next);
      card.append(head, list, nav);
      body.append(card);
    } else {
      all.forEach((unit, n) => list.append(drawUnit(unit, n, all, ctx)));
      body.append(list);
    }
    if (focusedId && !state.menu) {
      const item = body.querySelector(`li[data-id="${focusedId}"]`);
      if (item && focusedControl >= 0) focusControl(item, focusedControl);
      else if (item) { setCurrent(focusedId); item.focus({ preventScroll: true }); }
    }
  }

  // ---- the mouse ----

  function tokenFrom(node) {
    const element = node && (node.nodeType === 1 ? node : node.parentElement);
    if (!element) return null;
    const tok = element.closest(".fl-tok");
    if (tok) return tok;
    // a space between words: take the nearest word in that direction
    const gap = element.closest(".fl-gap");
    const from = gap || node;
    return from.nextElementSibling?.closest?.(".fl-tok") || from.previousElementSibling?.closest?.(".fl-tok") ||
      (node.nodeType === 3 ? node.nextSibling?.closest?.(".fl-tok") || node.previousSibling?.closest?.(".fl-tok") : null);
  }

  const whereIs = (tok) => ({ unitId: tok.closest("li").dataset.id, tokenIndex: Number(tok.dataset.i) });

  body.addEventListener("mousedown", () => { state = mouseDown(state); });

  body.addEventListener("mouseup", (event) => {
    if (!marking()) return; // a lesson on kinds only: words are not marked
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed) return;
    const a = tokenFrom(selection.anchorNode), b = tokenFrom(selection.focusNode);
    if (!a || !b || !body.contains(a) || !body.contains(b)) return;
    selection.removeAllRanges();
    const { state: next, effect } = dragEnd(state, whereIs(a), whereIs(b), { tokens: tokens() });
    update(next);
    if (effect === "refused") say("A mark must stay inside one sentence.");
    event.preventDefault();
  });

  body.addEventListener("click", (event) => {
    const selection = window.getSelection();
    if (selection && !selection.isCollapsed) return; // a selection that made no mark
    if (event.target.closest("button")) return;
    const tok = marking() ? event.target.closest(".fl-tok") : null;
    const item = event.target.closest("li.fl-unit");
    if (item && !state.menu) setCurrent(item.dataset.id);
    const target = tok ? { ...whereIs(tok), shift: event.shiftKey } : null;
    const { state: next, effect } = click(state, target, { tokens: tokens(), spans: model.get("spans") });
    update(next);
    if (effect === "anchor") sayAnchor();
  });

  // A click outside the open palette closes it; so does the focus leaving the tagger.
  root.addEventListener("mousedown", (event) => {
    if (state.menu && !palette.contains(event.target) && !event.target.closest(".fl-tok")) close(false);
  });

  // ---- the keyboard ----

  function focusedOn(target) {
    if (target.matches("li.fl-unit")) return "unit";
    if (target.matches(".fl-chip")) return "chip";
    if (target.matches(".fl-pill")) return "pill";
    return "other";
  }

  // No notebook command may fire from inside the tagger (m, x, a, b, d d, ...): only Tab
  // and Shift+Enter go on to the notebook. Lumino, which runs the notebook's keys, looks
  // for a key's binding from the focused element up, and stops at an element marked
  // data-lm-suppress-shortcuts; as the focused element itself matches the notebook's
  // selectors (":focus" inside a notebook in command mode), the mark must be on it, so
  // every element that takes the focus in the tagger gets it. JupyterLab hears keys as
  // they bubble up (stopped below as well), Notebook 7 as they go down (capture), before
  // any listener of ours on the tagger. A listener on the window, which hears a key
  // before anyone, lifts the mark for the length of one Tab or Shift+Enter.
  const SUPPRESS = "data-lm-suppress-shortcuts";
  root.setAttribute(SUPPRESS, "true");
  root.addEventListener("focusin", (event) => { event.target.setAttribute(SUPPRESS, "true"); });
  const pressOf = (event) => ({ key: event.key, shift: event.shiftKey, ctrl: event.ctrlKey || event.metaKey, alt: event.altKey });
  const letThrough = (event) => {
    if (!(event.target instanceof Element) || !root.contains(event.target) || !passesThrough(pressOf(event))) return;
    const marked = [root, event.target];
    for (const node of marked) node.removeAttribute(SUPPRESS);
    setTimeout(() => { for (const node of marked) node.setAttribute(SUPPRESS, "true"); }, 0);
  };
  window.addEventListener("keydown", letThrough, true);

  root.addEventListener("keydown", (event) => {
    const pass = passesThrough(pressOf(event));
    if (pass) return;
    event.stopPropagation(); // and no other listener of the page hears it either
    if (!keySheet.hidden && keySheet.contains(event.target)) {
      if (event.key === "Escape" || event.key === "?") { event.preventDefault(); toggleKeys(false); }
      return;
    }
    const item = event.target.closest && event.target.closest("li.fl-unit");
    const on = focusedOn(event.target);
    if (item && (on === "chip" || on === "pill") && !state.menu) {
      const controls = rowControls(item);
      const step = rowStep(event.key, controls.indexOf(event.target), controls.length);
      if (step) {
        event.preventDefault();
        if (step.to === "unit") focusUnit(item.dataset.id);
        else if (step.unit) focusUnit(unitAfter(units(), item.dataset.id, step.unit));
        else controls[step.to].focus();
        return;
      }
      if (on === "pill" && (event.key === "Delete" || event.key === "Backspace")) {
        event.preventDefault();
        event.target.click();
        return;
      }
    }
    const press = { key: event.key, shift: event.shiftKey, ctrl: event.ctrlKey || event.metaKey, unitId: item ? item.dataset.id : null, on };
    const action = keyAction(state, press, { labels: labels(), tokens: tokens(), units: units(), spans: model.get("spans") });
    if (!action) return;
    if (!marking() && action.do === "word-start") { say("This lesson is about kinds only: no phrases to mark."); return; }
    event.preventDefault();
    switch (action.do) {
      case "undo": undo(); break;
      case "save-note": say("Your answers save themselves after every change: no need to press Ctrl+S."); break;
      case "keys": toggleKeys(); break;
      case "close": close(); break;
      case "menu-move": {
        const items = [...palette.querySelectorAll(".fl-menu-item")];
        const at = items.indexOf(document.activeElement);
        const to = items[menuStep(at < 0 ? 0 : at, action.step, items.length)];
        for (const other of items) other.tabIndex = other === to ? 0 : -1;
        to.focus();
        break;
      }
      case "add": close(); markSpan(action.span); break;
      case "kind": setKind(action.unitId, action.kind); break;
      case "focus": focusUnit(action.unitId); break;
      case "row": if (item) focusControl(item, action.index); break;
      case "remove-in": {
        const unit = units().find((u) => u.id === action.unitId);
        const inside = model.get("spans").filter(([s, e]) => s < unit.end && unit.start < e);
        update(openRemoveMenu(state, action.unitId, null, inside));
        break;
      }
      case "remove-at": {
        const [s, e] = tokens()[action.tokenIndex];
        const spans = model.get("spans");
        const covering = coveringSpans(spans, s, e).map((k) => spans[k]);
        if (!covering.length) { say("No mark on this word."); break; }
        if (covering.length === 1) unmarkSpan(covering[0]);
        else update(openRemoveMenu(state, action.unitId, action.tokenIndex, covering));
        break;
      }
      case "word-start":
        update({ ...state, wordMode: action.wordMode });
        say("Moving word by word: \u2190 \u2192 move, Shift+\u2190 \u2192 take in more words, Enter marks them, Delete removes a mark, Esc stops.");
        break;
      case "word-move":
        update({ ...state, wordMode: action.wordMode });
        say(`"${text().slice(...rangeOf(tokens(), action.wordMode.anchor, action.wordMode.cursor))}"`);
        break;
      case "word-mark":
        update(openDeviceMenu({ ...state, wordMode: null }, action.unitId, ...action.range));
        break;
      case "word-leave": update({ ...state, wordMode: null }); say(""); break;
      case "drop-anchor": update({ ...state, anchor: null }); say("First word dropped."); break;
    }
  });

  root.addEventListener("focusin", (event) => {
    const item = event.target.closest && event.target.closest("li.fl-unit");
    if (item && body.contains(item) && item.dataset.id !== current) setCurrent(item.dataset.id);
  });

  const redraw = () => { draw(); if (state.menu) placePalette(); };
  const traits = ["kinds", "spans", "marks", "hints", "text", "units", "tokens"];
  for (const name of traits) model.on(`change:${name}`, redraw);
  model.on("change:bar", () => { drawBar(); if (!keySheet.hidden) drawKeySheet(); });
  model.on("change:notice", drawNotice);
  model.on("change:labels", drawLegend);
  drawBar();
  drawNotice();
  drawLegend();
  draw();
  return () => {
    for (const name of traits) model.off(`change:${name}`, redraw);
    model.off("change:bar");
    model.off("change:notice", drawNotice);
    model.off("change:labels", drawLegend);
    window.removeEventListener("keydown", letThrough, true);
    clearTimeout(toastTimer);
  };
}

export default { render };
