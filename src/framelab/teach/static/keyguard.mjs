// The key guard of framelab's form widgets (the short questions): no notebook command
// (m, a, b, d d, the arrows that move between cells, ...) may fire while the focus is
// in one of them; only Tab and Shift+Enter go on to the notebook.
//
// Lumino, which runs the notebook's keys, looks for a key's binding from the focused
// element up and stops at an element marked data-lm-suppress-shortcuts. The focused
// element itself matches the notebook's selectors (":focus" inside a notebook in command
// mode), so the mark goes on every element that takes the focus inside a guarded box
// (".fl-guarded"). A listener on the window, which hears a key before anyone, lifts the
// mark for the length of one Tab or Shift+Enter. The tagger (tagger.mjs) does the same
// for itself. The listeners are set once a page, by the first guard drawn.

export const SUPPRESS = "data-lm-suppress-shortcuts";
export const GUARDED = ".fl-guarded";

/** Whether a key press goes on to the notebook: Tab (to leave), Shift+Enter (to run). */
export function passesThrough({ key, shift, ctrl, alt }) {
  if (key === "Tab") return !ctrl && !alt;
  return key === "Enter" && shift && !ctrl && !alt;
}

function guarded(target) {
  return target instanceof Element && target.closest(GUARDED) !== null;
}

export function installGuard(win) {
  if (win.__framelabKeyGuard) return false;
  win.__framelabKeyGuard = true;
  const doc = win.document;
  doc.addEventListener("focusin", (event) => {
    if (guarded(event.target)) event.target.setAttribute(SUPPRESS, "true");
  }, true);
  win.addEventListener("keydown", (event) => {
    const target = event.target;
    if (!guarded(target)) return;
    const press = { key: event.key, shift: event.shiftKey, ctrl: event.ctrlKey || event.metaKey, alt: event.altKey };
    if (!passesThrough(press)) {
      target.setAttribute(SUPPRESS, "true"); // focused before the guard was drawn
      return;
    }
    target.removeAttribute(SUPPRESS);
    setTimeout(() => target.setAttribute(SUPPRESS, "true"), 0);
  }, true);
  return true;
}

function render({ el }) {
  el.classList.add("fl-keyguard");
  el.hidden = true;
  installGuard(window);
  const focused = document.activeElement;
  if (guarded(focused)) focused.setAttribute(SUPPRESS, "true");
}

export default { render };
