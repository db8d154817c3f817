export interface ConductEventsTable {
  id: string;
  world_id: string;
  /** The world's own id for the event: sending it twice records it once. */
  external_id: string;
  subject_id: string;
  category: string;
  polarity: 'negative' | 'positive';
  severity: number;
  occurred_at: string;
  received_at: string;
  received_by: string;
  /** The case a negative event filed a report in. */
  case_id: string | null;
  /** The points a positive event counted, after the policy's cap for its world and period. */
  points: number;
}
