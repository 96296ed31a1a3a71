// The three ways a form speaks after a request: an error for the whole form, an error at one field
// (from a 422's issues), and a short status ("Saved."). Errors are role=alert so they are announced.
import { ERROR } from "./classes";

/** The form's error (the API's message, or what this page says about it); nothing when null. */
export function FormError({ error, className = ERROR }: { error: React.ReactNode; className?: string }) {
  if (error === null || error === undefined || error === false || error === "") return null;
  return (
    <p role="alert" className={className}>
      {error}
    </p>
  );
}

/** The API's message for one field, under it; `id` is what the input's aria-describedby names. */
export function FieldError({ id, label, message }: { id: string; label: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} role="alert" className={ERROR}>
      <span className="sr-only">{label}: </span>
      {message}
    </p>
  );
}

/** A short confirmation ("Saved."), announced politely. */
export function FormStatus({
  children,
  className = "text-xs text-emerald-700 dark:text-emerald-400",
}: {
  children: React.ReactNode;
  className?: string;
}) {
  if (!children) return null;
  return (
    <p role="status" className={className}>
      {children}
    </p>
  );
}
