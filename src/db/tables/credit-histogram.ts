export interface CreditHistogramTable {
  kind: string;
  score: number;
  count: number;
}
