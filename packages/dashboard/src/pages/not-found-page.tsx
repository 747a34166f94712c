import { Link } from "react-router";
import { Empty } from "../components/states";

export function NotFoundPage() {
  return (
    <section className="page">
      <Empty>
        No such page. <Link to="/">Back to runs</Link>
      </Empty>
    </section>
  );
}
