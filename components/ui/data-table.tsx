// A two-column name/value table for captured data. Values are React text, never HTML.
import { DATA_TABLE_FRAME, DATA_TH, DATA_THEAD } from "./classes";

export interface Row {
  name: string;
  value: string;
  note?: string;
  /** The value shown is masked; the text explains by which rule. */
  masked?: string;
}

export function DataTable({ label, rows, empty }: { label: string; rows: Row[]; empty: string }) {
  if (rows.length === 0) return <p className="text-sm text-zinc-500">{empty}</p>;
  return (
    <div className={DATA_TABLE_FRAME}>
      <table aria-label={label} className="w-full border-collapse text-left font-mono text-xs">
        <thead className={DATA_THEAD}>
          <tr>
            <th scope="col" className={`w-8 text-right ${DATA_TH}`}>
              #
            </th>
            <th scope="col" className={`w-px ${DATA_TH}`}>
              Name
            </th>
            <th scope="col" className={DATA_TH}>
              Value
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i} className="border-t border-zinc-100 align-top dark:border-zinc-900">
              <td className="px-2 py-1 text-right text-zinc-400">{i + 1}</td>
              <td className="whitespace-nowrap px-2 py-1 font-semibold">{row.name}</td>
              <td className="break-all px-2 py-1">
                {row.value}
                {row.masked ? <MaskedBadge title={row.masked} /> : null}
                {row.note ? (
                  <span className="ml-2 rounded bg-amber-100 px-1 font-sans text-[11px] text-amber-800 dark:bg-amber-950 dark:text-amber-300">
                    {row.note}
                  </span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Marks a value the server masked (redaction); the title says which rule. */
export function MaskedBadge({ title, className = "ml-2" }: { title: string; className?: string }) {
  return (
    <span
      title={title}
      className={`${className} inline-block rounded bg-violet-100 px-1 font-sans text-[11px] font-medium text-violet-800 dark:bg-violet-950 dark:text-violet-300`}
    >
      masked<span className="sr-only">: {title}</span>
    </span>
  );
}
