/** A positive number from the environment, or `fallback` when unset; anything else stops the bench (exit 2). */
export function readPositiveNumber(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`bench: ${name} must be a positive number, not "${raw}"`);
    process.exit(2);
  }
  return value;
}
