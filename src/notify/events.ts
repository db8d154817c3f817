/** The events a world can subscribe to. */
export const notifyEventTypes = [
  'sanction.imposed',
  'sanction.lifted',
  'sanction.expired',
  'case.decided',
  // The person ended the binding of one of this world's avatars (issue 12).
  'avatar.unbound',
] as const;
export type NotifyEventType = (typeof notifyEventTypes)[number];

/** Something that happened to a subject that the worlds hosting its avatars may need to act on. */
export interface NotifyEvent {
  type: NotifyEventType;
  subject: string;
  /** Set when the event concerns one world only (a suspension there, a case from there). */
  world: string | null;
  occurredAt: string;
  /** Ids, kinds and times only: never attributes, never free text. */
  data: Record<string, unknown>;
}
