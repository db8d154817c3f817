import type { ScreenProps } from '../screen-props.ts';

const work: Record<string, string> = {
  registrar: 'enrols subjects and adds attribute versions',
  platform: 'binds avatars in its world, reports conduct and reads its avatars’ standing',
  service: 'asks whether a subject may take an action before serving them',
};

/** Roles whose work is done by their own systems over the API: the console only says so. */
export function OtherRole(props: ScreenProps) {
  const { me } = props;
  const scope = me.world ?? me.actions?.join(', ');
  return (
    <section>
      <h1>
        {me.name} ({me.role})
      </h1>
      <p>
        A {me.role} {work[me.role] ?? 'works'} through the API{scope === undefined ? '' : ` (for ${scope})`}.
        The console has no screens for it beyond{' '}
        {me.role === 'registrar' ? 'reading profiles (logged, with a purpose) and ' : ''}the transparency log.
        See the API reference at <a href="/docs">/docs</a>.
      </p>
      <p class="muted">
        Principal <code>{me.id}</code>
      </p>
    </section>
  );
}
