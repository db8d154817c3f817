import type { Tx } from '../db/transaction.ts';
import { type ConfigurationId, configurations, isConfigurationId } from './configurations.ts';
import { InvalidCredentialRequestError, UnknownCredentialConfigurationError } from './errors.ts';

/** A credential request, as the credential endpoint reads it. */
export interface CredentialRequest {
  configuration: ConfigurationId;
  proof: unknown;
  claims: string[] | undefined;
}

// OpenID4VCI 1.0 section 8.2: `credential_configuration_id` and `proofs.jwt` (one proof: no batch);
// the draft's single `proof` is still read. `claims` (mdis's own) narrows the claims put in.
export function parseRequest(body: unknown): CredentialRequest {
  if (typeof body !== 'object' || body === null)
    throw new InvalidCredentialRequestError('the request is not a JSON object');
  const b = body as Record<string, unknown>;
  const id = b.credential_configuration_id;
  if (typeof id !== 'string')
    throw new InvalidCredentialRequestError('credential_configuration_id is required');
  if (!isConfigurationId(id)) throw new UnknownCredentialConfigurationError(id);
  const proofs = (b.proofs as { jwt?: unknown } | undefined)?.jwt;
  const proof = Array.isArray(proofs)
    ? proofs.length === 1
      ? proofs[0]
      : undefined
    : (b.proof as { jwt?: unknown } | undefined)?.jwt;
  if (Array.isArray(proofs) && proofs.length !== 1)
    throw new InvalidCredentialRequestError('send exactly one proof');
  let claims: string[] | undefined;
  if (b.claims !== undefined) {
    if (!Array.isArray(b.claims) || b.claims.length === 0)
      throw new InvalidCredentialRequestError('claims must be a non-empty array');
    claims = b.claims.map((c: unknown) => {
      const path = (c as { path?: unknown })?.path;
      const name = Array.isArray(path) && path.length === 1 ? path[0] : undefined;
      if (typeof name !== 'string' || !(name in configurations[id].claims)) {
        throw new InvalidCredentialRequestError(
          `configuration "${id}" has no claim ${JSON.stringify(path ?? c)}`,
        );
      }
      return name;
    });
  }
  return { configuration: id, proof, claims };
}

export function pick(all: Record<string, unknown>, names: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(all).filter(([name]) => names.includes(name)));
}

export async function gradeOf(tx: Tx, subject: string): Promise<string | undefined> {
  const row = await tx
    .selectFrom('credit_scores')
    .select('grade')
    .where('subject_id', '=', subject)
    .executeTakeFirst();
  return row?.grade;
}
