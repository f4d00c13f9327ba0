export interface Migration {
  /** Applied in id order; an applied id is never run again. */
  id: string;
  sql: string;
}
