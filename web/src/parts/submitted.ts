import type { FormEvent } from 'react';

/**
 * A form's submit handler from an async step. A failed mutation shows through its own `error`
 * (UserErrors), so the rejection is not left unhandled.
 */
export const submitted =
  (step: () => Promise<unknown>) =>
  (event: FormEvent): void => {
    event.preventDefault();
    step().catch(() => {});
  };
