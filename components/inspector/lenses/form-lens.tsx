import { useMemo } from "react";
import { DataTable } from "../../ui/data-table";
import { FORM_MAX_FIELDS, parseForm } from "../../../lib/body/form";
import { decodeUtf8 } from "../../../lib/body/text-decode";
import { LensNote } from "./sub-tabs";

/** application/x-www-form-urlencoded fields in order, repeated keys kept, capped at 1,000 rows. */
export function FormLens({ bytes }: { bytes: Uint8Array }) {
  const form = useMemo(() => parseForm(decodeUtf8(bytes, 8 * 1024 * 1024).text, FORM_MAX_FIELDS), [bytes]);
  return (
    <div className="space-y-2">
      {form.truncated ? (
        <LensNote tone="warn">
          Showing the first {form.fields.length.toLocaleString()} of {form.total.toLocaleString()} fields.
        </LensNote>
      ) : null}
      <DataTable
        label="Form fields"
        rows={form.fields.map((f) => ({ name: f.name, value: f.value, note: f.malformed ? "bad escape or not UTF-8" : undefined }))}
        empty="No form fields."
      />
    </div>
  );
}
