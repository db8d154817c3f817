import { get } from '../api.ts';
import type { PolicyView } from '../types.ts';
import { type Loaded, useLoad } from './use-load.ts';

// The policy in force does not change while a server runs: read once per page load.
let cached: Promise<PolicyView> | undefined;

/** The policy in force (GET /v1/policy): the lists forms offer, with their labels. */
export function usePolicy(): Loaded<PolicyView> {
  return useLoad(() => {
    cached ??= get<PolicyView>('/v1/policy').catch((error: unknown) => {
      cached = undefined; // asked again next time
      throw error;
    });
    return cached;
  }, []);
}
