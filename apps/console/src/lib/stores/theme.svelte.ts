export type Theme = 'system' | 'light' | 'dark';

const KEY = 'appconda-theme';

/** Light, dark or the OS preference; remembered in localStorage and applied on <html data-theme>. */
class ThemeStore {
  current = $state<Theme>(read());

  set(theme: Theme): void {
    this.current = theme;
    try {
      if (theme === 'system') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, theme);
    } catch {
      // storage unavailable (private mode): the choice lasts for this page only
    }
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }
}

function read(): Theme {
  try {
    const saved = localStorage.getItem(KEY);
    return saved === 'light' || saved === 'dark' ? saved : 'system';
  } catch {
    return 'system';
  }
}

export const theme = new ThemeStore();
