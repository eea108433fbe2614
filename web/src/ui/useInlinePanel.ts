import { useEffect, useRef } from 'react';

/** What takes the keyboard focus inside a panel or dialog. */
export const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A panel opened in the page by a button (a form to start a run, send a signal, edit a schedule,
 * the restore wizard), not a modal: opening it brings it into sight and moves the focus to its
 * first field, so the keyboard continues there; Escape inside it closes it as its Cancel or Close
 * does, and the focus goes back to what opened it. `key` opens it afresh (e.g. the schedule it
 * edits). Give the returned ref to its element.
 */
export function useInlinePanel<T extends HTMLElement>(onClose: () => void, key?: string) {
  const panel = useRef<T>(null);
  const close = useRef(onClose);
  close.current = onClose;

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const box = panel.current;
    if (!box) return undefined;
    box.scrollIntoView({ block: 'nearest' });
    box.querySelector<HTMLElement>(FOCUSABLE)?.focus({ preventScroll: true });
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      e.preventDefault();
      close.current();
    };
    box.addEventListener('keydown', onKey);
    return () => {
      box.removeEventListener('keydown', onKey);
      // Closed (not reopened for another key): the focus goes back to the button that opened it.
      if (!box.isConnected && opener?.isConnected && !box.contains(opener)) opener.focus();
    };
  }, [key]);

  return panel;
}
