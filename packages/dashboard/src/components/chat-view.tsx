import type { ChatMessage, ChatPart } from "../model/messages";
import { JsonView } from "./json-view";

/** A conversation as chat bubbles. Message text is rendered as text, never as HTML. */
export function ChatView({ messages, empty }: { messages: ChatMessage[]; empty: string }) {
  if (messages.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ol className="chat">
      {messages.map((m, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a recorded conversation never reorders
        <li key={i} className={`chat-msg role-${roleClass(m.role)}`} data-role={m.role}>
          <div className="chat-role">
            {m.role}
            {m.finishReason ? <span className="muted"> · {m.finishReason}</span> : null}
          </div>
          {m.parts.map((p, j) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: parts keep their recorded order
            <ChatPartView key={j} part={p} />
          ))}
        </li>
      ))}
    </ol>
  );
}

function ChatPartView({ part }: { part: ChatPart }) {
  switch (part.type) {
    case "text":
      return <div className="chat-text">{part.text}</div>;
    case "reasoning":
      return <div className="chat-text chat-reasoning">{part.text}</div>;
    case "tool_call":
      return (
        <JsonView label={`→ call ${part.name}${part.id ? ` (${part.id})` : ""}`} value={part.arguments} />
      );
    case "tool_result":
      return <JsonView label={`← result${part.id ? ` (${part.id})` : ""}`} value={part.result} />;
    default:
      return <JsonView value={part.value} open={false} />;
  }
}

function roleClass(role: string): string {
  return ["system", "user", "assistant", "tool"].includes(role) ? role : "other";
}
