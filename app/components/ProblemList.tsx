import { List } from "@shopify/polaris";

/** Problems or field errors as a list, inside a banner. */
export function ProblemList({ messages }: { messages: string[] }) {
  return (
    <List>
      {messages.map((message) => (
        <List.Item key={message}>{message}</List.Item>
      ))}
    </List>
  );
}
