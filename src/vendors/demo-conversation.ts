// The one demo conversation that crosses vendors: a customer browses the billing pages (Genesys journey
// session), opens web messaging and talks to the Genesys Billing Bot, which hands over to an Einstein
// bot in Salesforce (Genesys passes its conversation id as the Einstein session's externalSessionKey).
// Kept in one place so the three vendors' fixtures cannot drift apart.
export const DEMO_SHARED_CONVERSATION_ID = '3f9c2b1e-8d4a-4c6f-b2e7-5a1d0c9e8f73';
