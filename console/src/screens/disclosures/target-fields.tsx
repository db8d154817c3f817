/** Whom a disclosure request is about, as the form holds it: an avatar or a digital ID. */
export interface Target {
  kind: 'avatar' | 'subject';
  world: string;
  handle: string;
  subject: string;
}

/** The target as the API takes it: world and handle, or subject. */
export function targetOf(target: Target) {
  return target.kind === 'avatar'
    ? { world: target.world.trim(), handle: target.handle.trim() }
    : { subject: target.subject.trim() };
}

export function TargetFields(props: { value: Target; onChange: (target: Target) => void }) {
  const target = props.value;
  const set = (patch: Partial<Target>) => props.onChange({ ...target, ...patch });
  return (
    <>
      <fieldset class="choices">
        <legend>Whom it is about</legend>
        <label>
          <input
            type="radio"
            name="target-kind"
            checked={target.kind === 'avatar'}
            onChange={() => set({ kind: 'avatar' })}
          />
          An avatar
        </label>
        <label>
          <input
            type="radio"
            name="target-kind"
            checked={target.kind === 'subject'}
            onChange={() => set({ kind: 'subject' })}
          />
          A digital ID
        </label>
      </fieldset>
      {target.kind === 'avatar' ? (
        <div class="row">
          <label>
            World
            <input
              name="world"
              required
              value={target.world}
              onInput={(event) => set({ world: event.currentTarget.value })}
            />
          </label>
          <label>
            Handle
            <input
              name="handle"
              required
              value={target.handle}
              onInput={(event) => set({ handle: event.currentTarget.value })}
            />
          </label>
        </div>
      ) : (
        <label>
          Digital ID
          <input
            name="subject"
            required
            spellcheck={false}
            value={target.subject}
            onInput={(event) => set({ subject: event.currentTarget.value })}
          />
        </label>
      )}
    </>
  );
}
