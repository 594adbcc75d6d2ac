import { Link } from 'react-router';

/** Any path the app does not know. */
export function NotFoundPage() {
  return (
    <section className="card" aria-labelledby="not-found-heading">
      <h1 id="not-found-heading">Page not found</h1>
      <p>
        There is nothing here. <Link to="/">Go to the hallway</Link> to find a live room.
      </p>
    </section>
  );
}
