"use client";
// Shares the endpoint page's capture feed between the list and the detail pane (so deleting in
// the detail removes the row without a refetch).
import { createContext, useContext } from "react";
import type { CaptureFeed } from "./use-capture-feed";

export const InspectorContext = createContext<CaptureFeed | null>(null);

export function useInspector(): CaptureFeed | null {
  return useContext(InspectorContext);
}
