import { useState } from 'preact/hooks';
import { get, post } from '../../api.ts';
import { DataTable } from '../../components/data-table.tsx';
import { ErrorBox } from '../../components/error-box.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useSubmit } from '../../components/use-submit.ts';
import { day, words } from '../../format.ts';
import type { ScreenProps } from '../../screen-props.ts';
import { type LegalBasisKind, legalBasisKinds, type Preservation } from '../../types.ts';
import { OffenceField } from '../disclosures/offence-field.tsx';
import { type Target, TargetFields, targetOf } from '../disclosures/target-fields.tsx';

/**
 * Preservation orders: an authority orders one (a legal basis, at most 90 days) and extends its
 * own once; oversight and auditors read them all. An order holds the subject's erasure.
 */
export function Preservations(props: ScreenProps) {
  const list = useLoad(() => get<{ items: Preservation[] }>('/v1/preservations'), []);
  const authority = props.me.role === 'authority';
  const extend = useSubmit(async (id: string) => {
    await post<Preservation>(`/v1/preservations/${id}/extend`, { days: 90 });
    list.reload();
  });
  return (
    <section>
      <h1>Preservation orders</h1>
      {authority && <OrderForm onOrdered={list.reload} />}
      <ErrorBox error={list.error ?? extend.error} />
      {list.data !== undefined && (
        <DataTable
          caption="Preservation orders"
          columns={[
            { label: 'Subject', cell: (p) => <code>{p.subject}</code> },
            { label: 'Basis', cell: (p) => `${words(p.legalBasis.kind)} ${p.legalBasis.reference}` },
            { label: 'Offence', cell: (p) => words(p.offence) },
            { label: 'Until', cell: (p) => day(p.endsAt) },
            { label: 'Status', cell: (p) => p.status + (p.extendedAt === null ? '' : ', extended') },
            {
              label: '',
              cell: (p) =>
                authority && p.status === 'active' && p.extendedAt === null ? (
                  <button type="button" disabled={extend.busy} onClick={() => extend.run(p.id)}>
                    Extend 90 days (once)
                  </button>
                ) : null,
            },
          ]}
          rows={list.data.items}
          rowKey={(p) => p.id}
          empty="No preservation orders."
        />
      )}
    </section>
  );
}

function OrderForm(props: { onOrdered: () => void }) {
  const [target, setTarget] = useState<Target>({ kind: 'avatar', world: '', handle: '', subject: '' });
  const [basis, setBasis] = useState({ kind: 'warrant' as LegalBasisKind, reference: '', issuedBy: '' });
  const [offence, setOffence] = useState('');
  const [days, setDays] = useState('30');
  const order = useSubmit(async () => {
    const body = { target: targetOf(target), legalBasis: basis, offence, days: Number(days) };
    await post<Preservation>('/v1/preservations', body);
    props.onOrdered();
  });
  const set = (name: 'reference' | 'issuedBy') => (e: { currentTarget: { value: string } }) =>
    setBasis({ ...basis, [name]: e.currentTarget.value });
  return (
    <form onSubmit={order.onSubmit} aria-label="Order a preservation">
      <TargetFields value={target} onChange={setTarget} />
      <fieldset>
        <legend>Legal basis</legend>
        <label>
          Kind
          <select
            name="basis"
            value={basis.kind}
            onChange={(e) => setBasis({ ...basis, kind: e.currentTarget.value as LegalBasisKind })}
          >
            {legalBasisKinds.map((kind) => (
              <option key={kind} value={kind}>
                {words(kind)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Reference
          <input
            name="reference"
            required
            maxLength={200}
            value={basis.reference}
            onInput={set('reference')}
          />
        </label>
        <label>
          Issued by
          <input name="issuedBy" required maxLength={200} value={basis.issuedBy} onInput={set('issuedBy')} />
        </label>
      </fieldset>
      <OffenceField value={offence} onChange={setOffence} anyConduct />
      <label>
        Days (at most 90)
        <input
          name="days"
          type="number"
          min={1}
          max={90}
          required
          value={days}
          onInput={(e) => setDays(e.currentTarget.value)}
        />
      </label>
      <button type="submit" disabled={order.busy}>
        {order.busy ? 'Ordering…' : 'Order preservation'}
      </button>
      <ErrorBox error={order.error} />
    </form>
  );
}
