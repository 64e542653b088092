// framelab tagger: the front end of framelab.teach.tagger.TaggerCore (anywidget).
// No imports: it must work offline, and anywidget loads this file as one module, from
// which relative imports cannot resolve. State lives in the model's traits; this file
// only draws them and turns clicks and keys into trait changes and messages.
//
// The file has two halves. The first is plain functions that take data and return data
// and never touch the DOM: the view-model (tokens, ranges, spans) and the state machine
// of menus, clicks, drags and keys. They are exported so that tests/js/ can test them
// with node's own test runner. The second half, render(), does the DOM work and calls
// them. Nothing runs at import time but these definitions.

const DEVICE_STYLE = {
  // Okabe-Ito colours, each with its own line pattern and a text badge.
  "loaded": { color: "#D55E00", pattern: "solid", badge: "LOADED" },
  "intensifier": { color: "#E69F00", pattern: "dashed", badge: "INTENS" },
  "speculation": { color: "#CC79A7", pattern: "dotted", badge: "SPEC" },
  "vague-source": { color: "#56B4E9", pattern: "dashdot", badge: "VAGUE" },
  "verb-bias": { color: "#0072B2", pattern: "long", badge: "VERB" },
  "generalization": { color: "#009E73", pattern: "thick", badge: "GENERAL" },
};
const STATUS_TEXT = {
  right: "\u2713 right", accepted: "\u2713 accepted", wrong: "\u2717 wrong",
  untagged: "? untagged",
};

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

/** The indices of the spans that start at `start` (their badges go before that word). */
export function spansStartingAt(spans, start) {
  return spans.flatMap(([s], k) => (s === start ? [k] : []));
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

/** Whether token i of a unit is drawn as being chosen (word mode, or a first word). */
export function isSelecting(state, unitId, i) {
  const w = state.wordMode;
  if (w && w.unitId === unitId && i >= Math.min(w.anchor, w.cursor) && i <= Math.max(w.anchor, w.cursor)) {
    return true;
  }
  return Boolean(state.anchor && state.anchor.unitId === unitId && state.anchor.tokenIndex === i);
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
  if (menu.kind !== "device") return null;
  const device = deviceForKey(devices, key);
  return device ? { do: "add", span: [menu.start, menu.end, device] } : null;
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
  if (key === "Escape") return { do: "word-leave" };
  return null;
}

/**
 * What a key press means, as an action for render to carry out, or null when it is
 * not the tagger's key (the browser keeps its default). `press` is {key, shift, ctrl,
 * unitId}: ctrl for Ctrl or Cmd, unitId the sentence with the focus (or null); `data`
 * is {labels, tokens, units} from the traits. The actions:
 *   {do: "undo"}                        Ctrl+Z, anywhere in the tagger
 *   {do: "close"}, {do: "add", span}    see menuKey; an open menu takes every key
 *   {do: "word-move", wordMode}, {do: "word-mark", unitId, range}, {do: "word-leave"}
 *   {do: "kind", unitId, kind}          1-4
 *   {do: "focus", unitId}               the arrows, outside word mode
 *   {do: "word-start", wordMode}        Enter
 *   {do: "drop-anchor"}                 Escape with a first word chosen
 */
export function keyAction(state, press, { labels, tokens, units }) {
  const { key, shift, ctrl, unitId } = press;
  if (ctrl && key.toLowerCase() === "z") return { do: "undo" };
  if (state.menu) return menuKey(state.menu, key, labels.devices);
  const unit = unitId ? units.find((u) => u.id === unitId) : null;
  if (!unit) return null;
  if (state.wordMode && state.wordMode.unitId === unitId) {
    const action = wordModeKey(state, unit, key, shift, tokens);
    if (action) return action;
  }
  const kind = kindForKey(labels.kinds, key);
  if (kind) return { do: "kind", unitId, kind };
  if (key === "ArrowDown" || key === "ArrowRight") return { do: "focus", unitId: unitAfter(units, unitId, 1) };
  if (key === "ArrowUp" || key === "ArrowLeft") return { do: "focus", unitId: unitAfter(units, unitId, -1) };
  if (key === "Enter") {
    const wordMode = startWordMode(tokens, unit);
    return wordMode ? { do: "word-start", wordMode } : null;
  }
  if (key === "Escape" && state.anchor) return { do: "drop-anchor" };
  return null;
}

// ---- The DOM --------------------------------------------------------------------------

function render({ model, el }) {
  const root = document.createElement("div");
  root.className = "fl-root";
  root.setAttribute("role", "application");
  root.setAttribute("aria-roledescription", "tagger");
  const help = document.createElement("div");
  help.className = "fl-help";
  help.setAttribute("aria-live", "polite");
  const list = document.createElement("ol");
  list.className = "fl-units";
  const menu = document.createElement("div");
  menu.className = "fl-menu";
  menu.setAttribute("role", "menu");
  menu.hidden = true;
  root.append(help, list, menu);
  el.append(root);

  let state = initialState();
  const say = (text) => { help.textContent = text; };
  say("Tab or arrows: move between sentences. 1-4: set the kind. Drag over words, or click and shift-click, to mark a device.");

  const text = () => model.get("text");
  const units = () => model.get("units");
  const tokens = () => model.get("tokens");
  const labels = () => model.get("labels");

  // Take the next state and redraw what it changed.
  function update(next) {
    const before = state;
    state = next;
    if (next.anchor !== before.anchor || next.wordMode !== before.wordMode) draw();
    if (next.menu !== before.menu) drawMenu();
  }

  function setKind(unitId, kind) {
    model.set("kinds", withKind(model.get("kinds"), unitId, kind));
    model.save_changes();
    const pos = units().findIndex((u) => u.id === unitId) + 1;
    say(`Sentence ${pos} is now ${kind}.`);
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
    say(`Removed the ${span[2]} mark on "${text().slice(span[0], span[1])}".`);
  }

  function undo() {
    // An event, not state: the Python side answers it in its on_msg handler.
    model.send({ event: "undo" });
    say("Undone.");
  }

  function close(refocus = true) {
    const unitId = state.menu && state.menu.unitId;
    update(closeMenu(state));
    if (refocus && unitId) focusUnit(unitId);
  }

  function menuButton(label, onClick) {
    const button = document.createElement("button");
    button.className = "fl-menu-item";
    button.textContent = label;
    button.addEventListener("click", onClick);
    return button;
  }

  function menuTitle(label) {
    const title = document.createElement("div");
    title.className = "fl-menu-title";
    title.textContent = label;
    return title;
  }

  function fillDeviceMenu({ start, end }) {
    menu.append(menuTitle(`Mark "${text().slice(start, end)}" as:`));
    for (const device of labels().devices) {
      const style = DEVICE_STYLE[device.name];
      const button = menuButton(`${device.key}  ${device.name}`, () => { close(); markSpan([start, end, device.name]); });
      button.setAttribute("role", "menuitem");
      button.dataset.device = device.name;
      button.style.borderBottom = `3px ${style.pattern === "dotted" ? "dotted" : style.pattern === "dashed" ? "dashed" : "solid"} ${style.color}`;
      button.title = device.question;
      button.setAttribute("aria-label", `${device.name} (key ${device.key}): ${device.question}`);
      menu.append(button);
    }
    const cancel = menuButton("Esc  cancel", () => close());
    cancel.setAttribute("aria-label", "Cancel");
    menu.append(cancel);
    say(`Choose a device for "${text().slice(start, end)}": ${labels().devices.map((d) => `${d.key} ${d.name}`).join(", ")}; Esc cancels.`);
  }

  function fillRemoveMenu({ spans }) {
    menu.append(menuTitle("This word is marked. Remove a mark?"));
    for (const span of spans) {
      const [s, e, d] = span;
      const button = menuButton(`Remove ${d}: "${text().slice(s, e)}"`, () => { close(); unmarkSpan(span); });
      button.classList.add("fl-remove");
      button.setAttribute("role", "menuitem");
      menu.append(button);
    }
    menu.append(menuButton("Start a new mark here", () => { update(startMarkHere(state)); sayAnchor(); }));
    menu.append(menuButton("Esc  cancel", () => close()));
  }

  // Draw state.menu: nothing when it is null.
  function drawMenu() {
    menu.replaceChildren();
    menu.hidden = !state.menu;
    if (!state.menu) return;
    if (state.menu.kind === "device") fillDeviceMenu(state.menu);
    else fillRemoveMenu(state.menu);
    menu.querySelector("button").focus();
  }

  function sayAnchor() {
    say("First word chosen. Shift-click the last word of the phrase, or drag instead.");
  }

  function focusUnit(unitId) {
    const item = list.querySelector(`li[data-id="${unitId}"]`);
    if (item) item.focus();
  }

  function draw() {
    const focused = document.activeElement && root.contains(document.activeElement)
      ? document.activeElement.closest("li")?.dataset.id : null;
    const kinds = model.get("kinds");
    const spans = model.get("spans");
    const marks = model.get("marks") || {};
    const statuses = marks.sentences || {};
    const keySpans = marks.spans || [];
    const hints = model.get("hints") || {};
    const hintKinds = hints.sentences || {};
    const hintSpans = hints.spans || [];
    const all = units();
    list.replaceChildren();
    all.forEach((unit, n) => {
      const item = document.createElement("li");
      item.className = "fl-unit" + (unit.structure ? " fl-structure" : "");
      item.tabIndex = 0;
      item.dataset.id = unit.id;
      const kind = kinds[unit.id];
      item.setAttribute("aria-label", `Sentence ${n + 1} of ${all.length} (${unit.id}), ${kind ? "tagged " + kind : "untagged"}`);
      if (kind) item.dataset.kind = kind;

      const chips = document.createElement("div");
      chips.className = "fl-chips";
      chips.setAttribute("role", "group");
      chips.setAttribute("aria-label", `Kind of sentence ${n + 1}`);
      for (const k of labels().kinds) {
        const chip = document.createElement("button");
        chip.className = `fl-chip fl-kind-${k.name}`;
        chip.tabIndex = -1;
        chip.textContent = `${k.key} ${k.name}`;
        chip.title = k.question;
        chip.setAttribute("aria-pressed", String(kind === k.name));
        chip.setAttribute("aria-label", `Sentence ${n + 1}: ${k.name} (key ${k.key})`);
        chip.addEventListener("click", (event) => { event.stopPropagation(); setKind(unit.id, k.name); focusUnit(unit.id); });
        chips.append(chip);
      }
      const status = document.createElement("span");
      status.className = "fl-status";
      if (statuses[unit.id]) {
        status.textContent = STATUS_TEXT[statuses[unit.id]] || statuses[unit.id];
        status.dataset.status = statuses[unit.id];
      }
      chips.append(status);
      if (hintKinds[unit.id]) {
        const guess = document.createElement("span");
        guess.className = "fl-guess";
        guess.textContent = `machine guess: ${hintKinds[unit.id]}?`;
        guess.title = "A program's guess from word lists. It is often wrong.";
        chips.append(guess);
      }

      const para = document.createElement("p");
      para.className = "fl-text";
      let cursor = unit.start;
      for (const [s, e, i] of tokensOf(tokens(), unit)) {
        if (s > cursor) para.append(document.createTextNode(text().slice(cursor, s)));
        for (const k of spansStartingAt(spans, s)) {
          const sp = spans[k];
          const badge = document.createElement("sup");
          badge.className = "fl-badge";
          badge.dataset.span = k;
          badge.style.color = DEVICE_STYLE[sp[2]].color;
          badge.textContent = DEVICE_STYLE[sp[2]].badge;
          badge.title = `${sp[2]}: click to remove`;
          badge.setAttribute("role", "button");
          badge.setAttribute("aria-label", `Remove the ${sp[2]} mark on "${text().slice(sp[0], sp[1])}"`);
          badge.addEventListener("click", (event) => { event.stopPropagation(); unmarkSpan(sp); });
          para.append(badge);
        }
        const tok = document.createElement("span");
        tok.className = "fl-tok";
        tok.dataset.i = i;
        tok.textContent = text().slice(s, e);
        const covering = coveringSpans(spans, s, e).map((k) => spans[k]);
        if (covering.length) {
          tok.classList.add("fl-marked");
          tok.style.backgroundImage = covering.map(([, , d]) => line(DEVICE_STYLE[d].color, DEVICE_STYLE[d].pattern)).join(", ");
          tok.style.backgroundSize = covering.map(([, , d]) => `100% ${DEVICE_STYLE[d].pattern === "thick" ? 4 : 2}px`).join(", ");
          tok.style.backgroundPosition = covering.map((_, k) => `0 calc(100% - ${k * 5}px)`).join(", ");
          tok.style.paddingBottom = `${covering.length * 5}px`;
          tok.title = covering.map(([, , d]) => d).join(" + ");
        }
        if (coveringSpans(keySpans, s, e).length) tok.classList.add("fl-keyspan");
        const guessed = coveringSpans(hintSpans, s, e).map((k) => hintSpans[k]);
        if (guessed.length) {
          tok.classList.add("fl-hint");
          tok.title = (tok.title ? tok.title + "; " : "") + "machine guess: " + guessed.map(([, , d]) => d).join(", ");
        }
        if (isSelecting(state, unit.id, i)) tok.classList.add("fl-selecting");
        para.append(tok);
        cursor = e;
      }
      if (unit.end > cursor) para.append(document.createTextNode(text().slice(cursor, unit.end)));
      item.append(chips, para);
      list.append(item);
    });
    if (focused) focusUnit(focused);
  }

  function tokenFrom(node) {
    const element = node && (node.nodeType === 1 ? node : node.parentElement);
    if (!element) return null;
    const tok = element.closest(".fl-tok");
    if (tok) return tok;
    // a space between words: take the nearest word in that direction
    if (node.nodeType === 3) return node.nextSibling?.closest?.(".fl-tok") || node.previousSibling?.closest?.(".fl-tok");
    return null;
  }

  // A token element as {unitId, tokenIndex}.
  const where = (tok) => ({ unitId: tok.closest("li").dataset.id, tokenIndex: Number(tok.dataset.i) });

  list.addEventListener("mousedown", () => { state = mouseDown(state); });

  list.addEventListener("mouseup", (event) => {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed) return;
    const a = tokenFrom(selection.anchorNode), b = tokenFrom(selection.focusNode);
    if (!a || !b) return;
    selection.removeAllRanges();
    const { state: next, effect } = dragEnd(state, where(a), where(b), { tokens: tokens() });
    update(next);
    if (effect === "refused") say("A mark must stay inside one sentence.");
    event.preventDefault();
  });

  list.addEventListener("click", (event) => {
    const selection = window.getSelection();
    if (selection && !selection.isCollapsed) return; // a selection that made no mark
    const tok = event.target.closest(".fl-tok");
    const target = tok ? { ...where(tok), shift: event.shiftKey } : null;
    const { state: next, effect } = click(state, target, { tokens: tokens(), spans: model.get("spans") });
    update(next);
    if (effect === "anchor") sayAnchor();
  });

  root.addEventListener("keydown", (event) => {
    const item = event.target.closest && event.target.closest("li.fl-unit");
    const press = {
      key: event.key, shift: event.shiftKey, ctrl: event.ctrlKey || event.metaKey,
      unitId: item ? item.dataset.id : null,
    };
    const action = keyAction(state, press, { labels: labels(), tokens: tokens(), units: units() });
    if (!action) return;
    event.preventDefault();
    event.stopPropagation();
    switch (action.do) {
      case "undo": undo(); break;
      case "close": close(); break;
      case "add": close(); markSpan(action.span); break;
      case "kind": setKind(action.unitId, action.kind); break;
      case "focus": focusUnit(action.unitId); break;
      case "word-start":
        update({ ...state, wordMode: action.wordMode });
        say("Word mode: arrows move, Shift+arrows extend, Enter marks, Esc leaves.");
        break;
      case "word-move":
        update({ ...state, wordMode: action.wordMode });
        say(`"${text().slice(...rangeOf(tokens(), action.wordMode.anchor, action.wordMode.cursor))}"`);
        break;
      case "word-mark":
        update(openDeviceMenu({ ...state, wordMode: null }, action.unitId, ...action.range));
        break;
      case "word-leave": update({ ...state, wordMode: null }); say("Left word mode."); break;
      case "drop-anchor": update({ ...state, anchor: null }); say("First word dropped."); break;
    }
  });

  const traits = ["kinds", "spans", "marks", "hints", "text", "units", "tokens"];
  for (const name of traits) model.on(`change:${name}`, draw);
  draw();
  return () => { for (const name of traits) model.off(`change:${name}`, draw); };
}

export default { render };
