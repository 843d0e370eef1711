// Keyboard cursor of a page's main list: j/k move it, Enter opens the row's link. Rows and links
// are found by their data-testid, so the table components stay free of page-level key handling.
import { tick } from 'svelte';
import { goto } from '$app/navigation';
import { moveCursor } from '../issues/bulk.ts';

export class ListCursor {
  /** Focused row (-1: none). */
  index = $state(-1);
  readonly #row: string;
  readonly #link: string;

  constructor(rowTestid: string, linkTestid: string) {
    this.#row = `[data-testid="${rowTestid}"]`;
    this.#link = `[data-testid="${linkTestid}"]`;
  }

  async moveTo(index: number): Promise<void> {
    this.index = index;
    await tick();
    const row = document.querySelectorAll<HTMLElement>(this.#row)[index];
    row?.scrollIntoView({ block: 'nearest' });
    row?.querySelector<HTMLElement>(this.#link)?.focus({ preventScroll: true });
  }

  /** Window keydown handler; `count` is the number of rows shown (null while none are). */
  keydown(event: KeyboardEvent, count: number | null): void {
    if (event.altKey || event.ctrlKey || event.metaKey || count === null) return;
    const target = event.target as HTMLElement | null;
    // typing in a form field is not navigation
    if (target?.closest('input, textarea, select, [contenteditable="true"]')) return;
    if (event.key === 'j' || event.key === 'k') {
      event.preventDefault();
      void this.moveTo(moveCursor(this.index, event.key === 'j' ? 1 : -1, count));
    } else if (event.key === 'Enter' && this.index >= 0 && !target?.closest('a, button')) {
      const link = document.querySelectorAll<HTMLAnchorElement>(this.#link)[this.index];
      if (link) void goto(link.href);
    }
  }
}
