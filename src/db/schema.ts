import type { AvatarsTable } from './tables/avatars.ts';
import type { PrincipalsTable } from './tables/principals.ts';
import type { SubjectAttributesTable } from './tables/subject-attributes.ts';
import type { SubjectsTable } from './tables/subjects.ts';
import type { WorldsTable } from './tables/worlds.ts';

/** Every table of the store, as Kysely sees it. */
export interface DatabaseSchema {
  worlds: WorldsTable;
  subjects: SubjectsTable;
  subject_attributes: SubjectAttributesTable;
  avatars: AvatarsTable;
  principals: PrincipalsTable;
}
