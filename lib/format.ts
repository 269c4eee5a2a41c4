/** How the portal writes numbers a person recognises, shared by the subgraphs that show them. */

/** SNILS as printed on the card: `112-233-445 95`. */
export function formatSnils(digits: string): string {
  return `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6, 9)} ${digits.slice(9, 11)}`;
}
