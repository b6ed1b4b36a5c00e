import { useEffect, useMemo, useReducer } from "react";
import {
  changedFields,
  draftReducer,
  initialDraft,
  type CampaignDraft,
  type DraftChange,
  type DraftState,
} from "../../domain/campaign-draft";
import type { FieldErrors } from "./fields";

/**
 * The editor's working copy (app/domain/campaign-draft.ts) in React: every change goes through
 * `change`; each answer of the page's action settles the save it answers. `dirty` is computed
 * again only when the saved or the edited copy changes.
 */
export function useCampaignDraft(
  saved: CampaignDraft,
  answer: { saved: true } | { fieldErrors: FieldErrors } | object | undefined,
): { draft: DraftState; change: (change: DraftChange) => void; dirty: boolean } {
  const [draft, change] = useReducer(draftReducer, saved, initialDraft);

  useEffect(() => {
    change({
      type: "answered",
      saved: !!answer && "saved" in answer,
      fieldErrors: answer && "fieldErrors" in answer ? answer.fieldErrors : {},
    });
  }, [answer]);

  const dirty = useMemo(() => changedFields(draft.saved, draft.edited).length > 0, [draft.saved, draft.edited]);
  return { draft, change, dirty };
}
