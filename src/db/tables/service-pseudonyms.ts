/** A service principal's OpenID Connect client: its metadata, and its secret sealed by the vault. */
export interface OidcServiceClientsTable {
  principal_id: string;
  metadata: string;
  sealed_secret: Buffer | null;
  created_at: string;
  updated_at: string;
}

/** A pseudonym a service was given for a person at sign-in, so that it can check eligibility by it. */
export interface ServicePseudonymsTable {
  pseudonym: string;
  principal_id: string;
  subject_id: string;
  created_at: string;
}
