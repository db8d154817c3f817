export interface WorldsTable {
  id: string;
  name: string;
  created_at: string;
  created_by: string | null;
}
