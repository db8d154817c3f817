import Type, { type Static } from 'typebox';
import { Binding } from './avatars.ts';
import { MyCorrection } from './corrections.ts';
import { MyCredential } from './credentials.ts';
import { DisclosureNotice } from './disclosures.ts';
import { MyLogEntry } from './log.ts';
import { CheckCount, MyRecord, ProfileRead } from './me.ts';
import { SubjectProfile } from './subjects.ts';

/** The JWS header `typ` of an export: a JWT whose claims are the bundle. */
export const exportJwsType = 'mdis-export+jwt';

/** The version of the bundle's layout, in `format`; a reader should refuse one it does not know. */
export const exportFormat = 'mdis-export/1';

/** An entry of the public log about the person, its openings, and its proof against the checkpoint. */
export const ExportLogEntry = Type.Object({
  ...MyLogEntry.properties,
  proof: Type.Array(Type.String(), {
    description:
      'RFC 9162 inclusion proof (base64 hashes) of the entry in the tree of the bundle’s checkpoint',
  }),
});
export type ExportLogEntry = Static<typeof ExportLogEntry>;

/** The log as the bundle holds it: the entries about the person and the checkpoint they are proved in. */
export const ExportLog = Type.Object({
  origin: Type.String({ description: 'the log’s name, the first line of its checkpoints' }),
  verifierKey: Type.String({
    description: 'the checkpoints’ verifier key, <origin>+<key id>+<base64 Ed25519 key>, as GET /v1/log/key',
  }),
  checkpoint: Type.String({
    description: 'the latest signed checkpoint (C2SP signed note) when the bundle was made',
  }),
  entries: Type.Array(ExportLogEntry, { description: 'oldest first, as GET /v1/me/log lists them' }),
});
export type ExportLog = Static<typeof ExportLog>;

/**
 * Everything mdis holds about a person, as the claims of a JWT signed by mdis's export key: its
 * profile with every version, avatars, its record (cases with their reports' evidence and never a
 * reporter, decisions, sanctions, strikes, appeals, credit with its explanation and every change of
 * the score in `credit.history`),
 * disclosures whose gag has ended, who read its profile and who checked it, the log, its
 * corrections, its credentials and the services that know it under their pseudonyms.
 */
export const ExportBundle = Type.Object({
  iss: Type.String({ description: 'mdis’s public URL: the JWKS is at <iss>/.well-known/jwks.json' }),
  sub: Type.String({ description: 'the digital ID the bundle is about' }),
  iat: Type.Integer({ description: 'when it was signed, seconds since the epoch' }),
  jti: Type.String({ description: 'this bundle’s own id; the log entry export.downloaded names its digest' }),
  format: Type.Literal(exportFormat),
  generatedAt: Type.String(),
  profile: SubjectProfile,
  avatars: Type.Array(Binding),
  ...MyRecord.properties,
  disclosures: Type.Array(DisclosureNotice, { description: 'whose gag has ended, newest first' }),
  access: Type.Object({
    reads: Type.Array(ProfileRead, { description: 'staff reads of the profile, newest first' }),
    checks: Type.Array(CheckCount, { description: 'eligibility checks per checker, action and day' }),
  }),
  log: ExportLog,
  corrections: Type.Array(MyCorrection, { description: 'the corrections it proposed, newest first' }),
  credentials: Type.Array(MyCredential, { description: 'the credentials issued to it, with their status' }),
  services: Type.Array(
    Type.Object({ service: Type.String(), pseudonym: Type.String(), since: Type.String() }),
    { description: 'the services it signed in to, each with the pseudonym that service knows it by' },
  ),
});
export type ExportBundle = Static<typeof ExportBundle>;

/** GET /v1/me/export: the bundle to read, and the same bundle signed, to prove. */
export const SignedExport = Type.Object({
  bundle: ExportBundle,
  jws: Type.String({
    description: `a compact JWS (typ ${exportJwsType}, EdDSA) whose payload is the bundle: verify it and read the payload`,
  }),
  logIndex: Type.Integer({ description: 'the export.downloaded entry that records this export' }),
});
export type SignedExport = Static<typeof SignedExport>;
