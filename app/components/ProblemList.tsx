import { List } from "@shopify/polaris";

/** Problems or field errors as a list, inside a banner. */
export function ProblemList({ messages }: { messages: string[] }) {
  return (
    <List>
      {messages.map((message, index) => (
        // Two fields may have the same message: the position is the key.
        <List.Item key={index}>{message}</List.Item>
      ))}
    </List>
  );
}
