import { Banner, Layout } from "@shopify/polaris";
import type { CampaignProblem, CampaignStatus } from "../../domain/campaign";
import { notSavedTitle } from "../../domain/campaign-draft";
import { problemMessages } from "../../domain/launch-verdict";
import { ProblemList } from "../ProblemList";
import type { FieldErrors } from "./fields";

/** Above the form: why the save was refused, "Saved", a refused status change, and what blocks sending. */
export function EditorBanners(props: {
  fieldErrors: FieldErrors;
  saved: boolean;
  refused: string | null;
  status: CampaignStatus;
  problems: CampaignProblem[];
}) {
  const blocking = problemMessages(props.problems, "blocking");
  return (
    <>
      {Object.keys(props.fieldErrors).length > 0 ? (
        <Layout.Section>
          <Banner tone="critical" title={notSavedTitle(props.fieldErrors)}>
            <ProblemList messages={Object.values(props.fieldErrors)} />
          </Banner>
        </Layout.Section>
      ) : null}
      {props.saved ? (
        <Layout.Section>
          <Banner tone="success" title="Saved" />
        </Layout.Section>
      ) : null}
      {props.refused !== null ? (
        <Layout.Section>
          <Banner tone="critical" title="Not changed">
            <p>{props.refused}</p>
          </Banner>
        </Layout.Section>
      ) : null}
      {blocking.length > 0 ? (
        <Layout.Section>
          <Banner tone="warning" title={props.status === "live" ? "Sending is held until this is fixed" : "Before it can go Live"}>
            <ProblemList messages={blocking} />
          </Banner>
        </Layout.Section>
      ) : null}
    </>
  );
}
