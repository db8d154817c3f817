/** A platform principal without a world (none should exist): says so instead of failing. */
export function NoWorld() {
  return (
    <section>
      <h1>No world</h1>
      <p>This principal is not bound to a world; ask the operator to create the world's platform again.</p>
    </section>
  );
}
