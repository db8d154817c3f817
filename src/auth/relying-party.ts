import type { Config } from '../config.ts';

/** What WebAuthn checks a response against: mdis's public origin and its host as the RP ID. */
export interface RelyingParty {
  name: string;
  origin: string;
  rpID: string;
}

/** Read at each ceremony: `serve` learns its public URL when it listens if none was configured. */
export function relyingParty(config: Config): RelyingParty {
  const url = new URL(config.publicUrl ?? `http://localhost:${config.port}`);
  return { name: 'mdis', origin: url.origin, rpID: url.hostname };
}
