export interface OutboxTable {
  id: string;
  subscription_id: string;
  event_type: string;
  /** The JSON body to deliver: ids and pseudonyms, never attributes. */
  payload: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  created_at: string;
  next_attempt_at: string;
  /** A delivering instance holds the row until then. */
  lease_until: string | null;
  delivered_at: string | null;
  last_error: string | null;
}
