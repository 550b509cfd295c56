/** A command the user can correct (a period that is not one, an unknown entity): exit 2, no trace. */
export class UsageError extends Error {}
