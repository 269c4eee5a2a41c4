/** Screens by the URL's hash (`#/feed`): no router needed for seven screens. */
import { useSyncExternalStore } from 'react';

export type Screen = 'home' | 'feed' | 'appeals' | 'new-appeal' | 'queue' | 'register' | 'login';

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

export const useScreen = (fallback: Screen): Screen => (useSyncExternalStore(subscribe, () => location.hash.replace(/^#\/?/, '')) || fallback) as Screen;

export const go = (screen: Screen) => {
  location.hash = `/${screen}`;
};
