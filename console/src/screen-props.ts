import type { Whoami } from './types.ts';

/** What every screen is given (screens.tsx lists the screens; each screen imports only this). */
export interface ScreenProps {
  me: Whoami;
  /** The path's parameters (`:id`). */
  params: Record<string, string>;
  /** The query string: filters live there, so that a reload or a link keeps them. */
  query: URLSearchParams;
}
