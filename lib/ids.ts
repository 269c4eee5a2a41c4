/** The form of every id the graph hands out (PostgreSQL's uuid): any other string names nothing, and never reaches a query (it would fail there as 22P02). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);
