// Light / dark theme choice. Pure: the stored choice wins, else the system preference.

export type Theme = 'light' | 'dark';

export const THEME_STORAGE_KEY = 'faultline.theme';

export function isTheme(v: unknown): v is Theme {
  return v === 'light' || v === 'dark';
}

/** The theme to show: an explicit stored choice, else the OS `prefers-color-scheme`. */
export function resolveTheme(stored: string | null, prefersDark: boolean): Theme {
  if (isTheme(stored)) return stored;
  return prefersDark ? 'dark' : 'light';
}

export function otherTheme(t: Theme): Theme {
  return t === 'dark' ? 'light' : 'dark';
}
