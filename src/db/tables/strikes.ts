export interface StrikesTable {
  id: string;
  subject_id: string;
  case_id: string;
  strikes: number;
  severity: number;
  issued_at: string;
  expires_at: string;
  status: 'active' | 'lifted';
}
