/** What the cards read from HubSpot's extension context: the record and the profile variables. */
export interface CardContext {
  crm: { objectId: number | string };
  variables?: Record<string, unknown>;
  /** The HubSpot account, for links to other records. */
  portal?: { id?: number | string };
}
