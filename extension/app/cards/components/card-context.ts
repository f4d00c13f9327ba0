/** What the cards read from HubSpot's extension context: the record and the profile variables. */
export interface CardContext {
  crm: { objectId: number | string };
  variables?: Record<string, unknown>;
}
