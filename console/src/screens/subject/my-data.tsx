import { get } from '../../api.ts';
import { ErrorBox } from '../../components/error-box.tsx';
import { useLoad } from '../../components/use-load.ts';
import type { MyRecord } from '../../types.ts';
import { EraseMyData } from './erase-my-data.tsx';
import { IdentityLock } from './identity-lock.tsx';
import { MyExport } from './my-export.tsx';

/** The person's rights over its own data, on one screen: a signed copy, the lock, erasure. */
export function MyData() {
  // The record says whether the identity is locked and which preservation orders hold erasure.
  const record = useLoad(() => get<MyRecord>('/v1/me'), []);
  const me = record.data;
  return (
    <section>
      <h1>My data</h1>
      <ErrorBox error={record.error} />
      <MyExport />
      {me === undefined ? (
        record.loading && <p class="loading">Loading your lock and erasure status…</p>
      ) : (
        <>
          <IdentityLock locked={me.locked} onChange={record.reload} />
          <EraseMyData preservations={me.preservations} />
        </>
      )}
    </section>
  );
}
