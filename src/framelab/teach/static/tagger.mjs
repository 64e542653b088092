// framelab tagger: the front end of framelab.teach.tagger.TaggerCore (anywidget).
// No imports: it must work offline. State lives in the model's traits; this file
// only draws them and turns clicks and keys into trait changes.

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

  const state = { anchor: null, cursor: null, wordMode: null, menuFor: null };
  const say = (text) => { help.textContent = text; };
  say("Tab or arrows: move between sentences. 1-4: set the kind. Drag over words, or click and shift-click, to mark a device.");

  const text = () => model.get("text");
  const units = () => model.get("units");
  const tokens = () => model.get("tokens");
  const labels = () => model.get("labels");

  function tokensOf(unit) {
    return tokens().map((t, i) => [t[0], t[1], i]).filter(([s, e]) => s >= unit.start && e <= unit.end);
  }

  function setKind(unitId, kind) {
    const kinds = { ...model.get("kinds") };
    kinds[unitId] = kind;
    model.set("kinds", kinds);
    model.save_changes();
    const pos = units().findIndex((u) => u.id === unitId) + 1;
    say(`Sentence ${pos} is now ${kind}.`);
  }

  function addSpan(start, end, device) {
    const spans = model.get("spans");
    if (spans.some(([s, e, d]) => s === start && e === end && d === device)) {
      say("That mark is there already.");
      return;
    }
    model.set("spans", [...spans, [start, end, device]]);
    model.save_changes();
    say(`Marked "${text().slice(start, end)}" as ${device}.`);
  }

  function removeSpan(index) {
    const spans = model.get("spans");
    const [s, e, d] = spans[index];
    model.set("spans", spans.filter((_, i) => i !== index));
    model.save_changes();
    say(`Removed the ${d} mark on "${text().slice(s, e)}".`);
  }

  function undo() {
    model.set("undo", model.get("undo") + 1);
    model.save_changes();
    say("Undone.");
  }

  function closeMenu(refocus = true) {
    menu.hidden = true;
    menu.replaceChildren();
    const unitId = state.menuFor;
    state.menuFor = null;
    if (refocus && unitId) focusUnit(unitId);
  }

  function openDeviceMenu(unitId, start, end) {
    state.menuFor = unitId;
    menu.replaceChildren();
    const title = document.createElement("div");
    title.className = "fl-menu-title";
    title.textContent = `Mark "${text().slice(start, end)}" as:`;
    menu.append(title);
    for (const device of labels().devices) {
      const button = document.createElement("button");
      const style = DEVICE_STYLE[device.name];
      button.className = "fl-menu-item";
      button.setAttribute("role", "menuitem");
      button.dataset.device = device.name;
      button.style.borderBottom = `3px ${style.pattern === "dotted" ? "dotted" : style.pattern === "dashed" ? "dashed" : "solid"} ${style.color}`;
      button.textContent = `${device.key}  ${device.name}`;
      button.title = device.question;
      button.setAttribute("aria-label", `${device.name} (key ${device.key}): ${device.question}`);
      button.addEventListener("click", () => { closeMenu(); addSpan(start, end, device.name); });
      menu.append(button);
    }
    const cancel = document.createElement("button");
    cancel.className = "fl-menu-item";
    cancel.textContent = "Esc  cancel";
    cancel.setAttribute("aria-label", "Cancel");
    cancel.addEventListener("click", () => closeMenu());
    menu.append(cancel);
    menu.hidden = false;
    menu.dataset.start = start;
    menu.dataset.end = end;
    menu.querySelector("button").focus();
    say(`Choose a device for "${text().slice(start, end)}": ${labels().devices.map((d) => `${d.key} ${d.name}`).join(", ")}; Esc cancels.`);
  }

  function openRemoveMenu(unitId, tokenIndex, covering) {
    state.menuFor = unitId;
    menu.replaceChildren();
    const title = document.createElement("div");
    title.className = "fl-menu-title";
    title.textContent = "This word is marked. Remove a mark?";
    menu.append(title);
    for (const index of covering) {
      const [s, e, d] = model.get("spans")[index];
      const button = document.createElement("button");
      button.className = "fl-menu-item fl-remove";
      button.setAttribute("role", "menuitem");
      button.textContent = `Remove ${d}: "${text().slice(s, e)}"`;
      button.addEventListener("click", () => { closeMenu(); removeSpan(index); });
      menu.append(button);
    }
    const start = document.createElement("button");
    start.className = "fl-menu-item";
    start.textContent = "Start a new mark here";
    start.addEventListener("click", () => { closeMenu(false); setAnchor(unitId, tokenIndex); });
    menu.append(start);
    const cancel = document.createElement("button");
    cancel.className = "fl-menu-item";
    cancel.textContent = "Esc  cancel";
    cancel.addEventListener("click", () => closeMenu());
    menu.append(cancel);
    menu.hidden = false;
    menu.querySelector("button").focus();
  }

  function setAnchor(unitId, tokenIndex) {
    state.anchor = { unitId, tokenIndex };
    draw();
    say("First word chosen. Shift-click the last word of the phrase, or drag instead.");
  }

  function rangeOf(unitId, i, j) {
    const toks = tokens();
    const a = Math.min(i, j), b = Math.max(i, j);
    return [toks[a][0], toks[b][1]];
  }

  function focusUnit(unitId) {
    const item = list.querySelector(`li[data-id="${unitId}"]`);
    if (item) item.focus();
  }

  function moveFocus(unitId, step) {
    const all = units();
    const i = all.findIndex((u) => u.id === unitId);
    const next = all[Math.min(all.length - 1, Math.max(0, i + step))];
    focusUnit(next.id);
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
      for (const [s, e, i] of tokensOf(unit)) {
        if (s > cursor) para.append(document.createTextNode(text().slice(cursor, s)));
        const starting = spans.map((sp, k) => [sp, k]).filter(([sp]) => sp[0] === s);
        for (const [sp, k] of starting) {
          const badge = document.createElement("sup");
          badge.className = "fl-badge";
          badge.dataset.span = k;
          badge.style.color = DEVICE_STYLE[sp[2]].color;
          badge.textContent = DEVICE_STYLE[sp[2]].badge;
          badge.title = `${sp[2]}: click to remove`;
          badge.setAttribute("role", "button");
          badge.setAttribute("aria-label", `Remove the ${sp[2]} mark on "${text().slice(sp[0], sp[1])}"`);
          badge.addEventListener("click", (event) => { event.stopPropagation(); removeSpan(k); });
          para.append(badge);
        }
        const tok = document.createElement("span");
        tok.className = "fl-tok";
        tok.dataset.i = i;
        tok.textContent = text().slice(s, e);
        const covering = spans.filter(([a, b]) => a < e && s < b);
        if (covering.length) {
          tok.classList.add("fl-marked");
          tok.style.backgroundImage = covering.map(([, , d]) => line(DEVICE_STYLE[d].color, DEVICE_STYLE[d].pattern)).join(", ");
          tok.style.backgroundSize = covering.map(([, , d]) => `100% ${DEVICE_STYLE[d].pattern === "thick" ? 4 : 2}px`).join(", ");
          tok.style.backgroundPosition = covering.map((_, k) => `0 calc(100% - ${k * 5}px)`).join(", ");
          tok.style.paddingBottom = `${covering.length * 5}px`;
          tok.title = covering.map(([, , d]) => d).join(" + ");
        }
        if (keySpans.some(([a, b]) => a < e && s < b)) tok.classList.add("fl-keyspan");
        const guessed = hintSpans.filter(([a, b]) => a < e && s < b);
        if (guessed.length) {
          tok.classList.add("fl-hint");
          tok.title = (tok.title ? tok.title + "; " : "") + "machine guess: " + guessed.map(([, , d]) => d).join(", ");
        }
        const inWord = state.wordMode && state.wordMode.unitId === unit.id
          && i >= Math.min(state.wordMode.anchor, state.wordMode.cursor)
          && i <= Math.max(state.wordMode.anchor, state.wordMode.cursor);
        if (inWord || (state.anchor && state.anchor.tokenIndex === i)) tok.classList.add("fl-selecting");
        para.append(tok);
        cursor = e;
      }
      if (unit.end > cursor) para.append(document.createTextNode(text().slice(cursor, unit.end)));
      item.append(chips, para);
      item.addEventListener("focus", () => { if (model.get("focus") !== unit.id) { model.set("focus", unit.id); model.save_changes(); } });
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

  list.addEventListener("mouseup", (event) => {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed) return;
    const a = tokenFrom(selection.anchorNode), b = tokenFrom(selection.focusNode);
    if (!a || !b) return;
    const ua = a.closest("li").dataset.id, ub = b.closest("li").dataset.id;
    if (ua !== ub) { say("A mark must stay inside one sentence."); selection.removeAllRanges(); return; }
    const [start, end] = rangeOf(ua, Number(a.dataset.i), Number(b.dataset.i));
    selection.removeAllRanges();
    state.anchor = null;
    openDeviceMenu(ua, start, end);
    event.preventDefault();
  });

  list.addEventListener("click", (event) => {
    const selection = window.getSelection();
    if (selection && !selection.isCollapsed) return; // a drag: handled on mouseup
    const tok = event.target.closest(".fl-tok");
    if (!tok) return;
    const unitId = tok.closest("li").dataset.id;
    const i = Number(tok.dataset.i);
    if (event.shiftKey && state.anchor && state.anchor.unitId === unitId) {
      const [start, end] = rangeOf(unitId, state.anchor.tokenIndex, i);
      state.anchor = null;
      openDeviceMenu(unitId, start, end);
      return;
    }
    const [s, e] = tokens()[i];
    const covering = model.get("spans").map((sp, k) => [sp, k]).filter(([sp]) => sp[0] < e && s < sp[1]).map(([, k]) => k);
    if (covering.length) { openRemoveMenu(unitId, i, covering); return; }
    setAnchor(unitId, i);
  });

  root.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "z") {
      event.preventDefault(); event.stopPropagation(); undo(); return;
    }
    if (!menu.hidden) {
      if (event.key === "Escape") { event.preventDefault(); event.stopPropagation(); closeMenu(); return; }
      const device = labels().devices.find((d) => d.key === event.key.toLowerCase());
      if (device && menu.dataset.start !== undefined && state.menuFor) {
        event.preventDefault(); event.stopPropagation();
        const start = Number(menu.dataset.start), end = Number(menu.dataset.end);
        closeMenu(); addSpan(start, end, device.name);
      }
      return;
    }
    const item = event.target.closest && event.target.closest("li.fl-unit");
    if (!item) return;
    const unitId = item.dataset.id;
    const unit = units().find((u) => u.id === unitId);
    const handled = () => { event.preventDefault(); event.stopPropagation(); };
    if (state.wordMode && state.wordMode.unitId === unitId) {
      const toks = tokensOf(unit).map(([, , i]) => i);
      const w = state.wordMode;
      const pos = toks.indexOf(w.cursor);
      if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
        const next = toks[Math.min(toks.length - 1, Math.max(0, pos + (event.key === "ArrowRight" ? 1 : -1)))];
        w.cursor = next;
        if (!event.shiftKey) w.anchor = next;
        draw(); say(`"${text().slice(...rangeOf(unitId, w.anchor, w.cursor))}"`); handled(); return;
      }
      if (event.key === "Enter") {
        const [start, end] = rangeOf(unitId, w.anchor, w.cursor);
        state.wordMode = null; draw(); handled(); openDeviceMenu(unitId, start, end); return;
      }
      if (event.key === "Escape") { state.wordMode = null; draw(); say("Left word mode."); handled(); return; }
    }
    const kind = labels().kinds.find((k) => k.key === event.key);
    if (kind) { handled(); setKind(unitId, kind.name); return; }
    if (event.key === "ArrowDown" || event.key === "ArrowRight") { handled(); moveFocus(unitId, 1); return; }
    if (event.key === "ArrowUp" || event.key === "ArrowLeft") { handled(); moveFocus(unitId, -1); return; }
    if (event.key === "Enter") {
      const first = tokensOf(unit)[0];
      if (!first) return;
      state.wordMode = { unitId, anchor: first[2], cursor: first[2] };
      draw(); handled();
      say("Word mode: arrows move, Shift+arrows extend, Enter marks, Esc leaves.");
    }
  });

  for (const name of ["kinds", "spans", "marks", "hints", "text", "units", "tokens"]) {
    model.on(`change:${name}`, draw);
  }
  draw();
  return () => { for (const name of ["kinds", "spans", "marks", "hints", "text", "units", "tokens"]) model.off(`change:${name}`, draw); };
}

export default { render };
