"use client";
import { useEffect, useState } from "react";

const FORMATS = {
  date: { dateStyle: "medium" },
  datetime: { dateStyle: "medium", timeStyle: "short" },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

/**
 * A date in the reader's locale and time zone. The server cannot know those, so it renders the
 * UTC date and the browser swaps in the local form after hydration (no mismatch warning).
 */
export function LocalDate({ iso, format = "date" }: { iso: string; format?: keyof typeof FORMATS }) {
  const [text, setText] = useState(() => (format === "date" ? iso.slice(0, 10) : `${iso.slice(0, 16).replace("T", " ")} UTC`));
  useEffect(() => {
    const d = new Date(iso);
    if (!Number.isNaN(d.getTime())) setText(d.toLocaleString(undefined, FORMATS[format]));
  }, [iso, format]);
  return (
    <time dateTime={iso} title={iso}>
      {text}
    </time>
  );
}
