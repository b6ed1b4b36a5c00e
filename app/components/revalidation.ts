import type { ShouldRevalidateFunction } from "@remix-run/react";

/**
 * The editor's preview, live count and customer searches are POSTs to resource routes that
 * change nothing; Remix would reload every loader on the page after each (one per keystroke pause).
 */
const READ_ONLY_ACTIONS = /\/(preview|audience|customers)$/;

export const skipAfterReadOnlyActions: ShouldRevalidateFunction = ({ formAction, defaultShouldRevalidate }) =>
  formAction && READ_ONLY_ACTIONS.test(formAction) ? false : defaultShouldRevalidate;
