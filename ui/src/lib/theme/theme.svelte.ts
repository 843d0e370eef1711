// App-wide theme: `data-theme` on <html> drives the CSS variables in app.css. The user's choice
// is remembered in localStorage; without one the OS preference applies (and is followed live).
import { otherTheme, resolveTheme, THEME_STORAGE_KEY, type Theme } from './choice.ts';

export const theme = $state<{ current: Theme }>({ current: 'light' });

function readStored(): string | null {
  try {
    return localStorage.getItem(THEME_STORAGE_KEY);
  } catch {
    return null; // storage disabled: fall back to the OS preference
  }
}

function apply(t: Theme): void {
  theme.current = t;
  document.documentElement.dataset.theme = t;
}

let started = false;

/** Applies the stored or preferred theme once and follows OS changes while nothing is stored. */
export function startTheme(): void {
  if (started || typeof window === 'undefined') return;
  started = true;
  const media = window.matchMedia?.('(prefers-color-scheme: dark)');
  apply(resolveTheme(readStored(), media?.matches ?? false));
  media?.addEventListener('change', (e) => {
    if (readStored() === null) apply(e.matches ? 'dark' : 'light');
  });
}

export function toggleTheme(): void {
  const next = otherTheme(theme.current);
  try {
    localStorage.setItem(THEME_STORAGE_KEY, next);
  } catch {
    // not remembered, still applied
  }
  apply(next);
}
