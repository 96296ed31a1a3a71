"use client";
// The replay editor's draft: target URL, method, the header rows (starting from the capture's
// exact headers), the body (original bytes or text), credentials and redirects, and the checks
// made before anything is sent. The form renders it and owns the three ways to send.
import { useMemo, useRef, useState } from "react";
import useSWR from "swr";
import { errorMessage, fetchBody, fetchJson, type CaptureView } from "../inspector/api";
import { headerNotes } from "../inspector/masking";
import { decodeUtf8 } from "../../lib/body/text-decode";
import { contentEncodings } from "../../lib/body/decode";
import { useInspectorView } from "../inspector/inspector-context";
import type { HeaderRow } from "./header-editor";
import type { HeaderPairs, ReplayEdits } from "./replay-api";
import { withCapturePath } from "./replay-helpers";

const ONCE = { revalidateOnFocus: false, revalidateIfStale: false, revalidateOnReconnect: false } as const;
const EMPTY = new Uint8Array(0);

let nextRowId = 100_000;
const rowsOf = (pairs: HeaderPairs): HeaderRow[] => pairs.map(([name, value], i) => ({ id: i, name, value }));

export type SendKind = "server" | "browser" | "diff";

export function useReplayDraft(capture: CaptureView) {
  const { api } = useInspectorView();

  // The capture's exact headers: the masked view already is exact when nothing in the headers is
  // masked; otherwise a member loads the stored values (an audited reveal, shared with the detail's
  // own Reveal through SWR). A role that cannot reveal edits without the masked rows.
  const maskedRows = useMemo(() => headerNotes(capture.masked), [capture.masked]);
  const needsReveal = capture.canReveal && maskedRows.size > 0;
  const exact = useSWR<CaptureView>(needsReveal ? api.capture(capture.id, { reveal: true }) : null, fetchJson, ONCE);
  const unmaskedOnly = useMemo(() => capture.headers.filter((_, i) => !maskedRows.has(i)), [capture.headers, maskedRows]);
  // If the stored values cannot be loaded, the editor still works without the masked rows.
  const baseHeaders: HeaderPairs | null = needsReveal
    ? (exact.data?.headers ?? (exact.error ? unmaskedOnly : null))
    : capture.canReveal
      ? capture.headers
      : unmaskedOnly;
  const [editedRows, setEditedRows] = useState<HeaderRow[] | null>(null);
  const baseRows = useMemo(() => (baseHeaders ? rowsOf(baseHeaders) : null), [baseHeaders]);
  const rows = editedRows ?? baseRows;

  const [url, setUrl] = useState("");
  const [appendPath, setAppendPath] = useState(Boolean(capture.path || capture.query));
  const [method, setMethod] = useState(capture.method);
  const [bodyMode, setBodyMode] = useState<"original" | "text">("original");
  const [bodyText, setBodyText] = useState<string | null>(null);
  const [bodyNote, setBodyNote] = useState<string | null>(null);
  const [includeCredentials, setIncludeCredentials] = useState(false);
  const [followRedirects, setFollowRedirects] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const storedBody = useRef<Uint8Array | null>(null);

  const trimmedUrl = url.trim();
  const resolved = trimmedUrl ? (appendPath ? withCapturePath(trimmedUrl, capture) : trimmedUrl) : null;
  const hasPath = Boolean(capture.path || capture.query);
  const encodings = useMemo(() => contentEncodings(capture.headers), [capture.headers]);

  const headerRows = {
    change: (rid: number, part: "name" | "value", value: string) =>
      setEditedRows((current) => (current ?? baseRows ?? []).map((r) => (r.id === rid ? { ...r, [part]: value } : r))),
    add: () => setEditedRows((current) => [...(current ?? baseRows ?? []), { id: nextRowId++, name: "", value: "" }]),
    remove: (rid: number) => setEditedRows((current) => (current ?? baseRows ?? []).filter((r) => r.id !== rid)),
    reset: () => setEditedRows(null),
  };

  /** The stored body (exact for members; masked for a role that cannot reveal), fetched once. */
  async function loadBody(): Promise<Uint8Array> {
    if (capture.bodySize === 0) return EMPTY;
    if (!storedBody.current) storedBody.current = (await fetchBody(api.body(capture.id, { reveal: capture.canReveal }))).bytes;
    return storedBody.current;
  }

  async function chooseBody(mode: "original" | "text") {
    setBodyMode(mode);
    if (mode !== "text" || bodyText !== null) return;
    try {
      const bytes = await loadBody();
      const decoded = decodeUtf8(bytes);
      setBodyText(decoded.text);
      setBodyNote(
        encodings.length
          ? `The body is stored ${encodings.join(", ")}-encoded: as text it is not readable, and edits would not be compressed again. Remove Content-Encoding if you send plain text.`
          : !decoded.validUtf8
            ? "The body is not valid UTF-8: as text, the invalid bytes become U+FFFD. Keep Original bytes to send it exactly."
            : null,
      );
    } catch (err) {
      setBodyMode("original");
      setFormError(`Could not load the body: ${errorMessage(err)}`);
    }
  }

  function headerList(): HeaderPairs | { error: string } {
    const out: HeaderPairs = [];
    for (const [i, r] of (rows ?? []).entries()) {
      if (r.name.trim() === "") {
        if (r.value !== "") return { error: `Header ${i + 1} has a value but no name.` };
        continue;
      }
      out.push([r.name.trim(), r.value]);
    }
    return out;
  }

  function edits(): ReplayEdits | { error: string } {
    const e: ReplayEdits = { includeCredentials, ...(hasPath && { appendPath }) };
    const m = method.trim().toUpperCase();
    if (!m) return { error: "Give a method." };
    if (m !== capture.method) e.method = m;
    // Untouched headers are left to the server, which sends the stored list exactly.
    if (editedRows !== null || baseHeaders === unmaskedOnly) {
      const list = headerList();
      if ("error" in list) return list;
      e.headers = list;
    }
    if (bodyMode === "text" && bodyText !== null) e.body = bodyText;
    return e;
  }

  /** The edits to send, or null (the reason is in formError). A diff needs no target. */
  function validate(kind: SendKind): ReplayEdits | null {
    setFormError(null);
    if (kind !== "diff" && !trimmedUrl) {
      setFormError("Enter a target URL, e.g. https://staging.example.com/webhooks or http://localhost:3000/webhooks.");
      return null;
    }
    const e = edits();
    if ("error" in e) {
      setFormError(e.error);
      return null;
    }
    return e;
  }

  /** The body as a browser send carries it: the edited text as UTF-8, else the stored bytes. */
  const bodyBytes = () => (bodyMode === "text" && bodyText !== null ? Promise.resolve(new TextEncoder().encode(bodyText)) : loadBody());

  return {
    capture,
    url,
    setUrl,
    trimmedUrl,
    resolved,
    hasPath,
    appendPath,
    setAppendPath,
    method,
    setMethod,
    rows,
    edited: editedRows !== null,
    headerRows,
    headerList,
    maskedRows,
    needsReveal,
    exact,
    bodyMode,
    bodyText,
    setBodyText,
    bodyNote,
    chooseBody,
    bodyBytes,
    includeCredentials,
    setIncludeCredentials,
    followRedirects,
    setFollowRedirects,
    formError,
    setFormError,
    validate,
  };
}

export type ReplayDraft = ReturnType<typeof useReplayDraft>;
