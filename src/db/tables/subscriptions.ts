export interface SubscriptionsTable {
  id: string;
  world_id: string;
  url: string;
  /** JSON array of event types. */
  events: string;
  /** The HMAC signing secret, sealed under a key derived from the master key. */
  sealed_secret: Buffer;
  created_at: string;
  created_by: string;
  revoked_at: string | null;
}
