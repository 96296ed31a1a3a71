"use client";
// Saved views of an endpoint or a workspace (`viewsUrl`), in a list beside the search bar: open one (its query becomes the
// bar's and the address's ?q=), save the current query under a name, rename, delete. Viewers see
// the list; members and up change it (the server checks every change either way).
import { useState } from "react";
import useSWR from "swr";
import { errorMessage, fetchJson } from "../inspector/api";
import { BUTTON, INPUT_SMALL, PRIMARY } from "../ui/classes";
import { ConfirmButton } from "../ui/confirm-button";
import { FormError } from "../ui/form-message";
import { useMutation } from "../ui/use-mutation";
import { createView, deleteView, type SavedViewData, updateView } from "./search-api";

interface Props {
  /** GET/POST collection of the views: viewsKey(endpointId) or workspaceViewsKey(workspaceId). */
  viewsUrl: string;
  query: string;
  onOpen(query: string): void;
  canEdit: boolean;
}

export function SavedViews({ viewsUrl, query, onOpen, canEdit }: Props) {
  const key = viewsUrl;
  const { data, error, mutate } = useSWR<{ views: SavedViewData[] }>(key, fetchJson);
  const [name, setName] = useState("");
  const save = useMutation(async () => {
    await createView(viewsUrl, { name, query });
    setName("");
    await mutate();
  }, errorMessage);
  const views = data?.views ?? [];

  return (
    <section aria-label="Saved views" className="space-y-1.5">
      {canEdit ? (
        <form
          className="flex items-center gap-1.5"
          onSubmit={(e) => {
            e.preventDefault();
            void save.run();
          }}
        >
          <label className="sr-only" htmlFor={`${key}-name`}>
            View name
          </label>
          <input
            id={`${key}-name`}
            className={`${INPUT_SMALL} w-0 flex-1`}
            placeholder="Name this search…"
            value={name}
            maxLength={100}
            onChange={(e) => {
              setName(e.target.value);
              save.reset();
            }}
          />
          <button type="submit" className={PRIMARY} disabled={save.busy || !name.trim() || !query.trim()}>
            Save view
          </button>
        </form>
      ) : null}
      <FormError error={save.error} className="text-xs text-rose-600 dark:text-rose-400" />
      {error ? <p className="text-xs text-rose-600 dark:text-rose-400">Could not load saved views: {errorMessage(error)}</p> : null}
      {data && views.length === 0 ? <p className="text-xs text-zinc-500">No saved views yet.</p> : null}
      <ul className="space-y-0.5">
        {views.map((v) => (
          <ViewRow
            key={v.id}
            view={v}
            active={v.query === query}
            viewsUrl={viewsUrl}
            canEdit={canEdit}
            onOpen={onOpen}
            onChanged={() => void mutate()}
          />
        ))}
      </ul>
    </section>
  );
}

function ViewRow({
  view,
  active,
  viewsUrl,
  canEdit,
  onOpen,
  onChanged,
}: {
  view: SavedViewData;
  active: boolean;
  viewsUrl: string;
  canEdit: boolean;
  onOpen(query: string): void;
  onChanged(): void;
}) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(view.name);
  const rename = useMutation(async () => {
    await updateView(viewsUrl, view.id, { name });
    setEditing(false);
    onChanged();
  }, errorMessage);

  if (editing) {
    return (
      <li>
        <form
          className="flex items-center gap-1.5"
          onSubmit={(e) => {
            e.preventDefault();
            void rename.run();
          }}
        >
          <label className="sr-only" htmlFor={`rename-${view.id}`}>
            New name for {view.name}
          </label>
          <input
            id={`rename-${view.id}`}
            className={`${INPUT_SMALL} w-0 flex-1`}
            value={name}
            maxLength={100}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => e.key === "Escape" && setEditing(false)}
          />
          <button type="submit" className={BUTTON} disabled={rename.busy || !name.trim()}>
            Rename
          </button>
        </form>
        <FormError error={rename.error} className="text-xs text-rose-600 dark:text-rose-400" />
      </li>
    );
  }
  return (
    <li className="group flex items-center gap-1">
      <button
        type="button"
        aria-current={active ? "true" : undefined}
        title={view.query}
        className={`min-w-0 flex-1 truncate rounded px-1.5 py-0.5 text-left text-xs hover:bg-zinc-100 dark:hover:bg-zinc-800 ${active ? "font-semibold text-indigo-700 dark:text-indigo-300" : ""}`}
        onClick={() => onOpen(view.query)}
      >
        {view.name}
        <span className="ml-2 font-mono font-normal text-zinc-400">{view.query}</span>
      </button>
      {canEdit ? (
        <>
          <button
            type="button"
            className="text-[11px] text-zinc-500 hover:underline"
            aria-label={`Rename ${view.name}`}
            onClick={() => setEditing(true)}
          >
            Rename
          </button>
          <ConfirmButton
            label="Delete"
            ariaLabel={`Delete ${view.name}`}
            buttonClassName="text-[11px] text-rose-600 hover:underline"
            title={`Delete the view "${view.name}"?`}
            description="The saved search is removed for everyone who sees it. No captures are deleted."
            confirmLabel="Delete view"
            onConfirm={async () => {
              await deleteView(viewsUrl, view.id);
              onChanged();
            }}
          />
        </>
      ) : null}
    </li>
  );
}
