import { Link } from "react-router";
import { Empty } from "../components/states";
import { useDocumentTitle } from "../hooks/use-document-title";

export function NotFoundPage() {
  useDocumentTitle("No such page");
  return (
    <section className="page">
      <Empty>
        No such page. <Link to="/">Back to runs</Link>
      </Empty>
    </section>
  );
}
